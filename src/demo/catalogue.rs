//! Demo courses of each program with their offerings and a curriculum of 2 curricula x 3 modules
//! x 4 lessons; `swim.tutor` tutors two Swimming courses, `football.tutor` two Football courses. A course that exists (by name) is left
//! as it is, so running the seed again changes nothing.

use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    error::AppError,
    schema::across_programs::{
        course_age_groups, course_location_types, course_session_types, course_tutors, courses,
        curricula, lessons, modules, programs, users,
    },
};

struct DemoCourse {
    name: &'static str,
    description: &'static str,
    level: i32,
    active: bool,
    age_groups: &'static [&'static str],
    location_types: &'static [&'static str],
    session_types: &'static [&'static str],
}

/// A module with its four lessons.
type DemoModule = (&'static str, [&'static str; 4]);

struct DemoProgram {
    program: &'static str,
    courses: &'static [DemoCourse],
    /// Two curricula, each of three modules: (curriculum, [(module, [lesson x 4])]).
    curricula: &'static [(&'static str, &'static [DemoModule])],
    /// The program's demo tutor and the courses they tutor.
    tutor: &'static str,
    tutored: &'static [&'static str],
}

const SWIMMING: DemoProgram = DemoProgram {
    program: "Swimming",
    courses: &[
        DemoCourse {
            name: "Learn to Swim: Starfish",
            description: "First steps in the water for young beginners: confidence, floating and safe entries.",
            level: 1,
            active: true,
            age_groups: &["6-8"],
            location_types: &["our-facility"],
            session_types: &["group", "private"],
        },
        DemoCourse {
            name: "Learn to Swim: Dolphins",
            description: "Front and back crawl over 10 metres, treading water and basic water safety.",
            level: 2,
            active: true,
            age_groups: &["6-8", "9-12"],
            location_types: &["our-facility", "client-location"],
            session_types: &["group", "private"],
        },
        DemoCourse {
            name: "Stroke Development",
            description: "Technique for all four strokes, turns and starts, for confident swimmers.",
            level: 3,
            active: true,
            age_groups: &["9-12", "13-17"],
            location_types: &["our-facility"],
            session_types: &["group", "school-group"],
        },
        DemoCourse {
            name: "Junior Squad",
            description: "Training squad for galas: endurance sets, race pace and competition skills.",
            level: 5,
            active: true,
            age_groups: &["9-12", "13-17"],
            location_types: &["our-facility"],
            session_types: &["group"],
        },
        DemoCourse {
            name: "Adult Beginners",
            description: "Relaxed lessons for adults who never learnt to swim, or want to start again.",
            level: 1,
            active: true,
            age_groups: &["18+"],
            location_types: &["our-facility", "client-location"],
            session_types: &["private", "group"],
        },
        DemoCourse {
            name: "Aqua Fitness (retired)",
            description: "Water-based fitness classes, no longer offered.",
            level: 2,
            active: false,
            age_groups: &["18+"],
            location_types: &["our-facility"],
            session_types: &["group"],
        },
    ],
    curricula: &[
        (
            "Term 1: Foundations",
            &[
                ("Water confidence", ["Entering the pool safely", "Blowing bubbles", "Face in the water", "Games in the shallow end"]),
                ("Floating and gliding", ["Star float on the front", "Star float on the back", "Push and glide", "Recovering to standing"]),
                ("Kicking", ["Flutter kick with a board", "Kicking on the back", "Kick and glide", "Kicking relay"]),
            ],
        ),
        (
            "Term 2: Strokes",
            &[
                ("Front crawl", ["Arm action", "Side breathing", "Full stroke over 5 m", "Full stroke over 10 m"]),
                ("Back crawl", ["Body position", "Arm recovery", "Full stroke over 5 m", "Full stroke over 10 m"]),
                ("Water safety", ["Treading water", "Reaching rescue", "Safe jumps", "Water safety check"]),
            ],
        ),
    ],
    tutor: "swim.tutor",
    tutored: &["Learn to Swim: Starfish", "Stroke Development"],
};

const FOOTBALL: DemoProgram = DemoProgram {
    program: "Football",
    courses: &[
        DemoCourse {
            name: "Little Kickers",
            description:
                "Fun first football for young children: balance, coordination and ball control.",
            level: 1,
            active: true,
            age_groups: &["6-8"],
            location_types: &["our-facility", "client-location"],
            session_types: &["group", "school-group"],
        },
        DemoCourse {
            name: "Grassroots Skills",
            description:
                "Passing, dribbling, shooting and small-sided games for developing players.",
            level: 2,
            active: true,
            age_groups: &["9-12"],
            location_types: &["our-facility"],
            session_types: &["group"],
        },
        DemoCourse {
            name: "Goalkeeping Fundamentals",
            description: "Handling, footwork, diving and distribution for young goalkeepers.",
            level: 3,
            active: true,
            age_groups: &["9-12", "13-17"],
            location_types: &["our-facility"],
            session_types: &["private", "group"],
        },
        DemoCourse {
            name: "Academy Squad U15",
            description: "Tactical training and match preparation for the academy's U15 squad.",
            level: 5,
            active: true,
            age_groups: &["13-17"],
            location_types: &["our-facility"],
            session_types: &["group"],
        },
        DemoCourse {
            name: "Football Tactics Online",
            description: "Video sessions on formations, pressing and set pieces.",
            level: 4,
            active: true,
            age_groups: &["13-17", "18+"],
            location_types: &["virtual"],
            session_types: &["group", "school-group"],
        },
    ],
    curricula: &[
        (
            "Phase 1: Ball mastery",
            &[
                (
                    "Dribbling",
                    [
                        "Close control",
                        "Changes of direction",
                        "Beating a defender",
                        "Dribbling games",
                    ],
                ),
                (
                    "Passing and receiving",
                    [
                        "Inside-foot pass",
                        "First touch",
                        "Passing on the move",
                        "Rondo 4 v 1",
                    ],
                ),
                (
                    "Shooting",
                    [
                        "Striking technique",
                        "Shooting from distance",
                        "Finishing in the box",
                        "Shooting competition",
                    ],
                ),
            ],
        ),
        (
            "Phase 2: Playing the game",
            &[
                (
                    "Defending",
                    [
                        "Body shape",
                        "Jockeying",
                        "Tackling safely",
                        "1 v 1 defending",
                    ],
                ),
                (
                    "Team play",
                    [
                        "Width and depth",
                        "Support angles",
                        "Transitions",
                        "Small-sided games",
                    ],
                ),
                (
                    "Match day",
                    [
                        "Warm-up routine",
                        "Set pieces",
                        "Positions and roles",
                        "Friendly match",
                    ],
                ),
            ],
        ),
    ],
    tutor: "football.tutor",
    tutored: &["Little Kickers", "Grassroots Skills"],
};

const ROBOTICS: DemoProgram = DemoProgram {
    program: "Robotics",
    courses: &[DemoCourse {
        name: "Build and Code Basics",
        description: "Build a wheeled robot and program it with blocks.",
        level: 1,
        active: true,
        age_groups: &["9-12"],
        location_types: &["our-facility", "virtual"],
        session_types: &["group"],
    }],
    curricula: &[
        (
            "Unit 1: Build",
            &[
                (
                    "Parts and safety",
                    [
                        "Meet the kit",
                        "Motors and wheels",
                        "Sensors",
                        "Safe handling",
                    ],
                ),
                ("Chassis", ["Frame", "Drive train", "Wiring", "Test drive"]),
                (
                    "Sensors",
                    [
                        "Touch sensor",
                        "Distance sensor",
                        "Line sensor",
                        "Sensor challenge",
                    ],
                ),
            ],
        ),
        (
            "Unit 2: Code",
            &[
                ("Blocks", ["Sequences", "Loops", "Conditions", "Variables"]),
                (
                    "Moving",
                    [
                        "Drive a square",
                        "Follow a line",
                        "Avoid obstacles",
                        "Maze run",
                    ],
                ),
                ("Project", ["Plan", "Build", "Test", "Show and tell"]),
            ],
        ),
    ],
    tutor: "",
    tutored: &[],
};

/// Lesson content in Markdown, the same outline for every demo lesson.
fn lesson_content(lesson: &str, module: &str) -> String {
    format!(
        "**Goal:** {lesson}.\n\n- Warm-up (5 min)\n- Demonstrate and practise: *{lesson}*\n- Game or challenge using {module_lower}\n- Cool-down and feedback\n",
        module_lower = module.to_lowercase()
    )
}

pub fn seed(conn: &mut PgConnection) -> Result<(), AppError> {
    for demo in [&SWIMMING, &FOOTBALL, &ROBOTICS] {
        seed_program(conn, demo)?;
    }
    Ok(())
}

fn seed_program(conn: &mut PgConnection, demo: &DemoProgram) -> Result<(), AppError> {
    let program_id: Uuid = programs::table
        .filter(programs::name.eq(demo.program))
        .select(programs::id)
        .first(conn)?;
    for course in demo.courses {
        let existing: Option<Uuid> = courses::table
            .filter(courses::program_id.eq(program_id))
            .filter(courses::name.eq(course.name))
            .select(courses::id)
            .first(conn)
            .optional()?;
        let course_id = match existing {
            Some(id) => id,
            None => add_course(conn, program_id, course, demo)?,
        };
        if demo.tutored.contains(&course.name) {
            let tutor: Uuid = users::table
                .filter(users::username.eq(demo.tutor))
                .select(users::id)
                .first(conn)?;
            let admin: Option<Uuid> = users::table
                .filter(users::username.eq("swim.admin"))
                .select(users::id)
                .first(conn)
                .optional()?;
            diesel::insert_into(course_tutors::table)
                .values((
                    course_tutors::course_id.eq(course_id),
                    course_tutors::program_id.eq(program_id),
                    course_tutors::user_id.eq(tutor),
                    course_tutors::assigned_by.eq(admin),
                ))
                .on_conflict((course_tutors::course_id, course_tutors::user_id))
                .do_nothing()
                .execute(conn)?;
        }
    }
    Ok(())
}

fn add_course(
    conn: &mut PgConnection,
    program_id: Uuid,
    course: &DemoCourse,
    demo: &DemoProgram,
) -> Result<Uuid, AppError> {
    let course_id: Uuid = diesel::insert_into(courses::table)
        .values((
            courses::program_id.eq(program_id),
            courses::name.eq(course.name),
            courses::description.eq(course.description),
            courses::level.eq(course.level),
            courses::is_active.eq(course.active),
        ))
        .returning(courses::id)
        .get_result(conn)?;
    for code in course.age_groups {
        diesel::insert_into(course_age_groups::table)
            .values((
                course_age_groups::course_id.eq(course_id),
                course_age_groups::program_id.eq(program_id),
                course_age_groups::age_group.eq(*code),
            ))
            .execute(conn)?;
    }
    for code in course.location_types {
        diesel::insert_into(course_location_types::table)
            .values((
                course_location_types::course_id.eq(course_id),
                course_location_types::program_id.eq(program_id),
                course_location_types::location_type.eq(*code),
            ))
            .execute(conn)?;
    }
    for code in course.session_types {
        diesel::insert_into(course_session_types::table)
            .values((
                course_session_types::course_id.eq(course_id),
                course_session_types::program_id.eq(program_id),
                course_session_types::session_type.eq(*code),
            ))
            .execute(conn)?;
    }
    for (c, (curriculum, demo_modules)) in demo.curricula.iter().enumerate() {
        let curriculum_id: Uuid = diesel::insert_into(curricula::table)
            .values((
                curricula::program_id.eq(program_id),
                curricula::course_id.eq(course_id),
                curricula::name.eq(*curriculum),
                curricula::description.eq(format!("{curriculum} of {}.", course.name)),
                curricula::sequence_order.eq(c as i32 + 1),
            ))
            .returning(curricula::id)
            .get_result(conn)?;
        for (m, (module, demo_lessons)) in demo_modules.iter().enumerate() {
            let module_id: Uuid = diesel::insert_into(modules::table)
                .values((
                    modules::program_id.eq(program_id),
                    modules::curriculum_id.eq(curriculum_id),
                    modules::name.eq(*module),
                    modules::description.eq(""),
                    modules::sequence_order.eq(m as i32 + 1),
                ))
                .returning(modules::id)
                .get_result(conn)?;
            let rows: Vec<_> = demo_lessons
                .iter()
                .enumerate()
                .map(|(l, lesson)| {
                    (
                        lessons::program_id.eq(program_id),
                        lessons::module_id.eq(module_id),
                        lessons::name.eq(*lesson),
                        lessons::content.eq(lesson_content(lesson, module)),
                        lessons::duration_minutes.eq(if l == 3 { 60 } else { 45 }),
                        lessons::sequence_order.eq(l as i32 + 1),
                    )
                })
                .collect();
            diesel::insert_into(lessons::table)
                .values(rows)
                .execute(conn)?;
        }
    }
    Ok(course_id)
}
