//! `bench-seed`: a large, realistic academy for the benchmark, generated inside PostgreSQL with
//! set-based `INSERT ... SELECT generate_series(...)` statements, so millions of rows load in
//! minutes on two cores without crossing the wire row by row.

use std::time::Instant;

use diesel::{connection::SimpleConnection, prelude::*, sql_query, sql_types::BigInt};

use academy_admin::{access::Role, auth, error::AppError, schema::programs};

use crate::Sizes;

/// Password of the benchmark's users (`bench.coord`, `bench.admin`).
pub const BENCH_PASSWORD: &str = "academy-bench";
/// Every generated program's name starts with this, so a second run can tell it is not alone.
const PREFIX: &str = "Bench ";

/// Fills an empty database (migrated, no bench data yet) with `sizes`; prints progress.
pub fn seed(
    conn: &mut PgConnection,
    sizes: &Sizes,
    mut log: impl FnMut(&str),
) -> Result<(), AppError> {
    let existing: i64 = programs::table
        .filter(programs::name.like(format!("{PREFIX}%")))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Err(AppError::conflict(
            "This database already holds benchmark data; use a fresh database.",
        ));
    }
    let started = Instant::now();
    let mut step = |what: &str, conn: &mut PgConnection, sql: &str| -> Result<(), AppError> {
        let at = Instant::now();
        conn.batch_execute(sql)?;
        log(&format!("{what}: {:.1}s", at.elapsed().as_secs_f64()));
        Ok(())
    };
    let hash = auth::hash_password(BENCH_PASSWORD)?;
    conn.transaction::<_, AppError, _>(|conn| {
        step("programs", conn, &programs_sql(sizes))?;
        let ids: Vec<uuid::Uuid> = programs::table
            .filter(programs::name.like(format!("{PREFIX}%")))
            .select(programs::id)
            .load(conn)?;
        for id in ids {
            academy_admin::programs::install_defaults(conn, id)?;
        }
        academy_admin::users::insert(
            conn,
            "bench.coord",
            "bench.coord@academy.example",
            &hash,
            Role::ProgramCoordinator,
        )?;
        academy_admin::users::insert(
            conn,
            "bench.admin",
            "bench.admin@academy.example",
            &hash,
            Role::ProgramAdmin,
        )?;
        step("users and assignments", conn, ASSIGNMENTS_SQL)?;
        step("facilities", conn, &facilities_sql(sizes))?;
        step("courses and offerings", conn, &courses_sql(sizes))?;
        step("curricula, modules, lessons", conn, CURRICULUM_SQL)?;
        step("prices (every cell of every matrix)", conn, PRICES_SQL)?;
        Ok(())
    })?;
    step("students", conn, &students_sql(sizes))?;
    step("enrollments", conn, &enrollments_sql(sizes))?;
    step("tutors and course assignments", conn, TUTORS_SQL)?;
    step("closures and classes", conn, &classes_sql(sizes))?;
    step("class times and sessions", conn, &sessions_sql())?;
    step("class members and waitlists", conn, MEMBERS_SQL)?;
    // VACUUM as well: it sets the visibility map, so that index-only scans skip the heap, as they
    // do on a database that autovacuum has been looking after.
    step("statistics", conn, "VACUUM (ANALYZE)")?;
    let unpriced = unpriced_enrollments(conn)?;
    if unpriced > 0 {
        return Err(AppError::internal(format!(
            "{unpriced} generated enrollments have no price in force or another agreed fee"
        )));
    }
    let overfull = overfull_classes(conn)?;
    if overfull > 0 {
        return Err(AppError::internal(format!(
            "{overfull} generated classes have more running enrollments than places"
        )));
    }
    log(&format!("done in {:.1}s", started.elapsed().as_secs_f64()));
    Ok(())
}

fn programs_sql(s: &Sizes) -> String {
    format!(
        "INSERT INTO programs (name, description)
         SELECT '{PREFIX}' || lpad(g::text, 3, '0'), 'Generated for the benchmark'
         FROM generate_series(1, {}) g;",
        s.programs
    )
}

/// `bench.coord` and `bench.admin` work in the first program; every program has a tutor.
const ASSIGNMENTS_SQL: &str = "
    INSERT INTO user_program_assignments (user_id, program_id)
    SELECT u.id, p.id FROM users u, programs p
    WHERE u.username IN ('bench.coord', 'bench.admin') AND p.name = 'Bench 001';";

fn facilities_sql(s: &Sizes) -> String {
    let per_program = s.facilities_per_program();
    format!(
        "INSERT INTO facilities (program_id, name, facility_type, capacity, equipment, amenities)
         SELECT p.id, (ARRAY['Main Pool','Sports Hall','Training Field','Classroom','Lab','Court'])[1 + (f % 6)] || ' ' || f,
                (ARRAY['pool','gym','field','classroom','lab','court'])[1 + (f % 6)]::facility_type,
                200 + 50 * (f % 5), '[\"whistles\",\"cones\"]', '[\"parking\",\"changing rooms\"]'
         FROM programs p CROSS JOIN generate_series(1, {per_program}) f
         WHERE p.name LIKE '{PREFIX}%';"
    )
}

/// Each course offers every age group, two location types and every session type: 24 cells.
fn courses_sql(s: &Sizes) -> String {
    let per_program = s.courses_per_program();
    format!(
        "INSERT INTO courses (program_id, name, description, level)
         SELECT p.id, (ARRAY['Foundations','Technique','Squad','Masterclass','Fitness','Tactics','Juniors','Adults'])[1 + (c % 8)] || ' ' || c,
                'Generated course', 1 + (c % 5)
         FROM programs p CROSS JOIN generate_series(1, {per_program}) c
         WHERE p.name LIKE '{PREFIX}%';
         INSERT INTO course_age_groups (course_id, program_id, age_group)
         SELECT c.id, c.program_id, a.code FROM courses c JOIN age_groups a ON a.program_id = c.program_id
         JOIN programs p ON p.id = c.program_id WHERE p.name LIKE '{PREFIX}%';
         INSERT INTO course_location_types (course_id, program_id, location_type)
         SELECT c.id, c.program_id, l FROM courses c JOIN programs p ON p.id = c.program_id
         CROSS JOIN unnest(ARRAY['our-facility', 'client-location']) l WHERE p.name LIKE '{PREFIX}%';
         INSERT INTO course_session_types (course_id, program_id, session_type)
         SELECT c.id, c.program_id, t.code FROM courses c JOIN session_types t ON t.program_id = c.program_id
         JOIN programs p ON p.id = c.program_id WHERE p.name LIKE '{PREFIX}%';"
    )
}

/// 2 curricula x 3 modules x 4 lessons per course.
const CURRICULUM_SQL: &str = "
    INSERT INTO curricula (program_id, course_id, name, sequence_order)
    SELECT c.program_id, c.id, 'Stage ' || k, k FROM courses c CROSS JOIN generate_series(1, 2) k
    WHERE c.description = 'Generated course';
    INSERT INTO modules (program_id, curriculum_id, name, sequence_order)
    SELECT cu.program_id, cu.id, 'Module ' || k, k FROM curricula cu
    JOIN courses c ON c.id = cu.course_id AND c.description = 'Generated course'
    CROSS JOIN generate_series(1, 3) k;
    INSERT INTO lessons (program_id, module_id, name, content, duration_minutes, sequence_order)
    SELECT m.program_id, m.id, 'Lesson ' || k, 'Warm-up, drills, practice, cool-down.', 30 + 15 * (k % 3), k
    FROM modules m JOIN curricula cu ON cu.id = m.curriculum_id
    JOIN courses c ON c.id = cu.course_id AND c.description = 'Generated course'
    CROSS JOIN generate_series(1, 4) k;";

/// The generated price of a cell, from its five keys: the prices and the enrollments' agreed fees
/// (which skip the trigger that would copy it) both use it.
macro_rules! price_of {
    ($facility:literal, $course:literal, $age:literal, $location:literal, $session:literal) => {
        concat!(
            "(5000 + 500 * ((abs(hashtext(",
            $facility,
            "::text || ",
            $course,
            "::text || ",
            $age,
            " || ",
            $location,
            " || ",
            $session,
            ")) % 40)))::numeric(12,2)"
        )
    };
}

/// Every offered configuration of every course at every facility of its program, in force since
/// 1 Jan 2025.
const PRICES_SQL: &str = concat!("
    INSERT INTO facility_course_pricing
        (facility_id, course_id, program_id, age_group, location_type, session_type, price, effective_date)
    SELECT f.id, c.id, c.program_id, a.age_group, l.location_type, s.session_type, ",
    price_of!("f.id", "c.id", "a.age_group", "l.location_type", "s.session_type"), ",
           DATE '2025-01-01'
    FROM courses c
    JOIN facilities f ON f.program_id = c.program_id
    JOIN course_age_groups a ON a.course_id = c.id
    JOIN course_location_types l ON l.course_id = c.id
    JOIN course_session_types s ON s.course_id = c.id
    WHERE c.description = 'Generated course';");

/// Names come from a hash of `g` and the status varies with `g / programs`, not `g`: the program
/// is `g % programs`, so anything keyed on `g` modulo a divisor of it would be the same for every
/// student of a program (with 20 programs, all of "Bench 001" were inactive and named Adaeze).
fn students_sql(s: &Sizes) -> String {
    format!(
        "CREATE TEMP TABLE bench_programs AS
           SELECT row_number() OVER (ORDER BY name) - 1 AS idx, id FROM programs WHERE name LIKE '{PREFIX}%';
         INSERT INTO students (program_id, student_id, first_name, last_name, email, phone, date_of_birth,
                               enrollment_date, status, address, medical_info)
         SELECT p.id, 'STU-2025-' || lpad(g::text, 7, '0'),
                -- 20 first names x 400 family names (two syllables each), drawn by hash so that
                -- every program has all of them: a family name is shared by 1 in 400 students,
                -- as in a real academy group, not by 1 in 15.
                (ARRAY['Adaeze','Chinedu','Oluwaseun','Aisha','Emeka','Ngozi','Tunde','Fatima','Ifeanyi','Yetunde',
                       'Babajide','Chiamaka','Ibrahim','Funmilayo','Obinna','Zainab','Segun','Amaka','Musa','Temitope'])[1 + abs(hashint4(g::int * 3)) % 20],
                (ARRAY['Ok','Ad','Ob','Ez','Ol','Nw','Ab','Og','Ib','Ud','Ak','Ch','Em','Ig','On','Uz','Ay','Bab','Fol','Kal'])[1 + abs(hashint4(g::int)) % 20]
                || (ARRAY['afor','eyemi','ello','eike','awale','osu','ubakar','unleye','onkwo','anjuma',
                          'olabi','chenna','awal','ebayo','ogu','anya','emi','ade','uwa','eke'])[1 + abs(hashint4(g::int * 7)) % 20],
                'student' || g || '@example.ng',
                '+234 80' || (g % 10) || ' ' || lpad((g % 1000000)::text, 7, '0'),
                DATE '2000-01-01' + (g % 9000),
                DATE '2025-01-01' + (g % 300),
                (CASE WHEN (g / {programs}) % 20 = 0 THEN 'inactive' WHEN (g / {programs}) % 20 = 1 THEN 'graduated' ELSE 'active' END)::student_status,
                jsonb_build_object('line1', (g % 200) || ' Allen Avenue', 'city', 'Lagos', 'state', 'Lagos', 'country', 'Nigeria'),
                '{{}}'::jsonb
         FROM generate_series(1, {students}) g
         JOIN bench_programs p ON p.idx = g % {programs};
         INSERT INTO student_id_counters (year, last_number) VALUES (2025, {students})
         ON CONFLICT (year) DO UPDATE SET last_number = GREATEST(student_id_counters.last_number, EXCLUDED.last_number);",
        students = s.students,
        programs = s.programs,
    )
}

/// Enrollment k of the student h of a program (h = g / programs, for the reason given at
/// `students_sql`) takes course (h*7 + k) mod C of the student's program, so a student's
/// enrollments are in distinct courses; every configuration used is priced.
fn enrollments_sql(s: &Sizes) -> String {
    let per_student = s.enrollments_per_student();
    let courses = s.courses_per_program();
    let facilities = s.facilities_per_program();
    format!(
        "CREATE TEMP TABLE bench_courses AS
           SELECT program_id, row_number() OVER (PARTITION BY program_id ORDER BY id) - 1 AS idx, id
           FROM courses WHERE description = 'Generated course';
         CREATE INDEX ON bench_courses (program_id, idx);
         CREATE TEMP TABLE bench_facilities AS
           SELECT f.program_id, row_number() OVER (PARTITION BY f.program_id ORDER BY f.id) - 1 AS idx, f.id
           FROM facilities f JOIN bench_programs p ON p.id = f.program_id;
         CREATE INDEX ON bench_facilities (program_id, idx);
         CREATE TEMP TABLE bench_students AS
           SELECT id, program_id, (substr(student_id, 10))::bigint / {programs} AS h FROM students WHERE student_id LIKE 'STU-2025-%';
         -- Every row is priced by construction (checked afterwards), so the per-row trigger can rest;
         -- the fee it would have copied is the generated price of the row's cell.
         ALTER TABLE course_enrollments DISABLE TRIGGER course_enrollments_price_in_force;
         INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, age_group, location_type,
                                         session_type, status, enrollment_date, completion_date, progress_percentage,
                                         credits_awarded, assignment_type, agreed_fee)
         SELECT x.*, {fee} FROM (SELECT st.id, c.id, st.program_id, f.id,
                (ARRAY['6-8','9-12','13-17','18+'])[1 + st.h % 4],
                (ARRAY['our-facility','client-location'])[1 + (st.h + k) % 2],
                (ARRAY['private','group','school-group'])[1 + k % 3],
                (CASE WHEN (st.h + k) % 10 = 0 THEN 'paused' WHEN (st.h + k) % 10 = 1 THEN 'completed'
                      WHEN (st.h + k) % 10 = 2 THEN 'withdrawn' ELSE 'active' END)::enrollment_status,
                DATE '2025-06-01' + ((st.h + k) % 500)::int,
                CASE WHEN (st.h + k) % 10 IN (1, 2) THEN DATE '2025-06-01' + ((st.h + k) % 500)::int + 30 END,
                ((st.h * 11 + k) % 100)::int, ((st.h + k) % 5)::int, 'direct'::assignment_type
         FROM bench_students st
         CROSS JOIN generate_series(0, {last_k}) k
         JOIN bench_courses c ON c.program_id = st.program_id AND c.idx = (st.h * 7 + k) % {courses}
         JOIN bench_facilities f ON f.program_id = st.program_id AND f.idx = (st.h + k) % {facilities}
         LIMIT {limit}) x (student_id, course_id, program_id, facility_id, age_group, location_type, session_type,
                           status, enrollment_date, completion_date, progress_percentage, credits_awarded,
                           assignment_type);
         ALTER TABLE course_enrollments ENABLE TRIGGER course_enrollments_price_in_force;",
        fee = price_of!(
            "x.facility_id",
            "x.course_id",
            "x.age_group",
            "x.location_type",
            "x.session_type"
        ),
        last_k = per_student - 1,
        limit = s.enrollments,
        programs = s.programs,
    )
}

/// The academy's time zone: the app's default (`APP_TIMEZONE`), which `scripts/bench.sh` runs with.
/// Class times are local times there; sessions are stored as the instants they stand for.
const ZONE: &str = "Africa/Lagos";

/// Classes per course in the next term, open for enrolling and empty: the places the write path
/// "enrolling into a class" of `scripts/bench.sh` fills, about 20,000 in "Bench 001" with the
/// default sizes, so a 10 s run at 32 connections does not run out of them.
const NEXT_TERM_CLASSES_PER_COURSE: i64 = 25;

/// Two tutors per course (`bench.tutor.<program>.<n>`), members of the course's program and
/// assigned to the course; they share `bench.coord`'s password hash.
const TUTORS_SQL: &str = "
    CREATE TEMP TABLE bench_tutors AS
      SELECT c.program_id, c.id AS course_id, c.idx AS course_idx, t.n,
             'bench.tutor.' || lpad((p.idx + 1)::text, 3, '0') || '.' || lpad((c.idx * 2 + t.n + 1)::text, 3, '0') AS username
      FROM bench_courses c JOIN bench_programs p ON p.id = c.program_id
      CROSS JOIN generate_series(0, 1) t(n);
    INSERT INTO users (username, email, password_hash, role, full_name)
    SELECT b.username, b.username || '@academy.example', u.password_hash, 'tutor',
           (ARRAY['Kemi','Uche','Bola','Tobi','Nneka','Sola','Kunle','Halima','Chidi','Ronke'])[1 + abs(hashtext(b.username)) % 10]
           || ' ' ||
           (ARRAY['Adeyemi','Okonkwo','Bello','Eze','Lawal','Nwosu','Balogun','Okeke','Danjuma','Ogunleye'])[1 + abs(hashtext(b.username || 'x')) % 10]
    FROM bench_tutors b CROSS JOIN (SELECT password_hash FROM users WHERE username = 'bench.coord') u;
    ALTER TABLE bench_tutors ADD COLUMN user_id uuid;
    UPDATE bench_tutors b SET user_id = u.id FROM users u WHERE lower(u.username) = b.username;
    CREATE INDEX ON bench_tutors (course_id, n);
    INSERT INTO user_program_assignments (user_id, program_id) SELECT user_id, program_id FROM bench_tutors;
    INSERT INTO course_tutors (course_id, program_id, user_id) SELECT course_id, program_id, user_id FROM bench_tutors;";

/// Two terms of 14 weeks, Monday to Sunday in the academy's zone: the current one began on the
/// Monday four weeks before this week's (as the demo's), the next one starts a week after it
/// ends. Each program closes for a mid-term break (Monday to Friday of week 7, 8 or 9 of the
/// current term). Classes, by course:
/// - current term: one to three, each at one of the configurations the course's running
///   enrollments use most (school groups first), so those enrollments can join it; places: the
///   session type's capacity when it is below 12 (private 2, group 5), else 12 to 20;
/// - next term: `NEXT_TERM_CLASSES_PER_COURSE` school-group classes of 30 to 50 places, spread
///   over the program's facilities, age groups and locations, left empty for new enrollments.
///
/// Every class has a price in force today for its configuration and one of its course's two
/// tutors (classes alternate between them).
fn classes_sql(s: &Sizes) -> String {
    let facilities = s.facilities_per_program();
    format!(
        "CREATE TEMP TABLE bench_term AS
           SELECT date_trunc('week', now() AT TIME ZONE '{ZONE}')::date - 28 AS t0,
                  (now() AT TIME ZONE '{ZONE}')::date AS today;
         INSERT INTO program_closures (program_id, name, start_date, end_date)
         SELECT p.id, 'Mid-term break', t.t0 + 7 * (6 + p.idx::int % 3), t.t0 + 7 * (6 + p.idx::int % 3) + 4
         FROM bench_programs p CROSS JOIN bench_term t;
         CREATE TEMP TABLE bench_classes (
           id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), program_id uuid NOT NULL, course_id uuid NOT NULL,
           course_idx int NOT NULL, facility_id uuid NOT NULL, age_group text NOT NULL, location_type text NOT NULL,
           session_type text NOT NULL, term int NOT NULL, j int NOT NULL, capacity int NOT NULL,
           fill int NOT NULL, waitlist int NOT NULL, times int NOT NULL, duration int NOT NULL);
         -- Current term: the course's most used running configurations, school groups first.
         INSERT INTO bench_classes (program_id, course_id, course_idx, facility_id, age_group, location_type,
                                    session_type, term, j, capacity, fill, waitlist, times, duration)
         SELECT r.program_id, r.course_id, r.course_idx, r.facility_id, r.age_group, r.location_type, r.session_type,
                0, r.j, r.capacity,
                -- School groups keep 3 to 8 places free; smaller classes are full, some with a waitlist.
                CASE WHEN r.capacity >= 12 THEN r.capacity - 3 - r.hash % 6 ELSE r.capacity END,
                CASE WHEN r.capacity >= 12 THEN 0 ELSE r.hash % 3 END,
                1 + r.hash % 2, (ARRAY[45, 60, 90])[1 + r.hash % 3]
         FROM (SELECT k.*, c.idx::int AS course_idx, (k.rank - 1)::int AS j,
                      abs(hashtext(k.course_id::text || k.rank)) AS hash,
                      LEAST(st.capacity, f.capacity, 12 + abs(hashtext(k.course_id::text || k.rank)) % 9) AS capacity
               FROM (SELECT n.*, row_number() OVER (PARTITION BY n.course_id
                                  ORDER BY n.session_type = 'school-group' DESC, n.running DESC,
                                           n.facility_id, n.age_group, n.location_type, n.session_type) AS rank
                     FROM (SELECT program_id, course_id, facility_id, age_group, location_type, session_type,
                                  sum(enrollments) AS running
                           FROM enrollment_counts WHERE status IN ('active', 'paused')
                           GROUP BY program_id, course_id, facility_id, age_group, location_type, session_type) n) k
               JOIN bench_courses c ON c.id = k.course_id
               JOIN session_types st ON st.program_id = k.program_id AND st.code = k.session_type
               JOIN facilities f ON f.id = k.facility_id
               WHERE k.rank <= 1 + abs(hashtext(k.course_id::text)) % 3) r;
         -- Next term: empty school-group classes.
         INSERT INTO bench_classes (program_id, course_id, course_idx, facility_id, age_group, location_type,
                                    session_type, term, j, capacity, fill, waitlist, times, duration)
         SELECT c.program_id, c.id, c.idx::int, f.id,
                (ARRAY['6-8', '9-12', '13-17', '18+'])[1 + (i / {facilities}) % 4],
                (ARRAY['our-facility', 'client-location'])[1 + (i / ({facilities} * 4)) % 2],
                'school-group', 1, i,
                LEAST(st.capacity, fa.capacity, 30 + abs(hashtext(c.id::text || i)) % 21), 0, 0, 1, 60
         FROM bench_courses c
         CROSS JOIN generate_series(0, {last_next}) i
         JOIN bench_facilities f ON f.program_id = c.program_id AND f.idx = i % {facilities}
         JOIN facilities fa ON fa.id = f.id
         JOIN session_types st ON st.program_id = c.program_id AND st.code = 'school-group';
         -- Only configurations the course offers with a price in force today.
         DELETE FROM bench_classes b WHERE NOT EXISTS (
           SELECT 1 FROM facility_course_pricing pr CROSS JOIN bench_term t
           WHERE pr.facility_id = b.facility_id AND pr.course_id = b.course_id AND pr.age_group = b.age_group
             AND pr.location_type = b.location_type AND pr.session_type = b.session_type AND pr.is_active
             AND pr.effective_date <= t.today AND (pr.end_date IS NULL OR pr.end_date > t.today));
         INSERT INTO classes (id, program_id, course_id, facility_id, tutor_id, age_group, location_type, session_type,
                              name, capacity, start_date, end_date)
         SELECT b.id, b.program_id, b.course_id, b.facility_id, t.user_id, b.age_group, b.location_type, b.session_type,
                CASE b.term WHEN 0 THEN '' ELSE 'Next term ' END
                || (ARRAY['Dolphins','Otters','Seahorses','Falcons','Lions','Eagles','Cheetahs','Herons'])[1 + (b.j + b.course_idx) % 8]
                || ' ' || (b.j + 1),
                b.capacity, tm.t0 + 105 * b.term, tm.t0 + 105 * b.term + 97
         FROM bench_classes b
         JOIN bench_tutors t ON t.course_id = b.course_id AND t.n = b.j % 2
         CROSS JOIN bench_term tm;",
        last_next = NEXT_TERM_CLASSES_PER_COURSE - 1,
    )
}

/// Weekly times and a term of sessions. A tutor's classes (every other class of a course) take
/// distinct numbered slots of the week (slot q: weekday 1 + (q % 3) * 2 + (q / 3) % 2, i.e.
/// Mon, Wed, Fri, Tue, Thu, Sat; start 08:00 + 2 h * (q / 6); at most 90 minutes), shifted
/// per course, so no tutor is in two sessions at once (the exclusion constraint checks it).
/// Sessions fall on every week of the class's dates except the program's closures, at the local
/// time in the academy's zone: a class at 09:00 in Lagos starts at 08:00 UTC.
fn sessions_sql() -> String {
    format!(
        "CREATE TEMP TABLE bench_times AS
      SELECT b.id AS class_id, b.program_id,
             (1 + (b.q % 3) * 2 + (b.q / 3) % 2)::smallint AS weekday,
             make_time(8 + 2 * (b.q / 6), 0, 0) AS start_time, b.duration
      FROM (SELECT b.*, ((b.j / 2) * 2 + t + 7 * b.course_idx) % 36 AS q
            FROM bench_classes b CROSS JOIN generate_series(0, 1) t WHERE t < b.times) b;
    INSERT INTO class_times (program_id, class_id, weekday, start_time, duration_minutes)
    SELECT program_id, class_id, weekday, start_time, duration FROM bench_times;
    INSERT INTO class_sessions (program_id, class_id, tutor_id, starts_at, ends_at)
    SELECT x.program_id, x.class_id, c.tutor_id,
           (d.day + x.start_time) AT TIME ZONE '{ZONE}',
           (d.day + x.start_time) AT TIME ZONE '{ZONE}' + make_interval(mins => x.duration)
    FROM bench_times x
    JOIN classes c ON c.id = x.class_id
    CROSS JOIN LATERAL (SELECT c.start_date + 7 * w + (x.weekday - 1) AS day FROM generate_series(0, 13) w) d
    WHERE d.day <= c.end_date
      AND NOT EXISTS (SELECT 1 FROM program_closures pc
                      WHERE pc.program_id = x.program_id AND d.day BETWEEN pc.start_date AND pc.end_date);"
    )
}

/// Running enrollments of a current-term class's course, facility and configuration join it up
/// to its `fill`; a full class gets up to two more of them as its waitlist (status waitlisted, in
/// line by `waitlisted_at`). No class ever holds more running enrollments than places.
const MEMBERS_SQL: &str = "
    UPDATE course_enrollments e SET class_id = x.class_id
    FROM (SELECT b.id AS class_id, m.id
          FROM bench_classes b
          CROSS JOIN LATERAL (
            SELECT e.id FROM course_enrollments e
            WHERE e.course_id = b.course_id AND e.status IN ('active', 'paused') AND e.facility_id = b.facility_id
              AND e.age_group = b.age_group AND e.location_type = b.location_type
              AND e.session_type = b.session_type AND e.class_id IS NULL
            LIMIT b.fill) m
          WHERE b.term = 0 AND b.fill > 0) x
    WHERE e.id = x.id;
    UPDATE course_enrollments e
       SET status = 'waitlisted', class_id = x.class_id, waitlisted_at = now() - x.n * interval '1 day'
    FROM (SELECT b.id AS class_id, m.id, m.n
          FROM bench_classes b
          CROSS JOIN LATERAL (
            SELECT e.id, row_number() OVER () AS n FROM course_enrollments e
            WHERE e.course_id = b.course_id AND e.status = 'active' AND e.facility_id = b.facility_id
              AND e.age_group = b.age_group AND e.location_type = b.location_type
              AND e.session_type = b.session_type AND e.class_id IS NULL
            LIMIT b.waitlist) m
          WHERE b.term = 0 AND b.waitlist > 0
            AND (SELECT count(*) FROM course_enrollments r
                 WHERE r.class_id = b.id AND r.status IN ('active', 'paused')) >= b.capacity) x
    WHERE e.id = x.id;";

/// Classes with more running (active or paused) enrollments than places (must be 0).
pub fn overfull_classes(conn: &mut PgConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    sql_query(
        "SELECT count(*) AS n FROM classes c
         WHERE c.capacity < (SELECT count(*) FROM course_enrollments e
                             WHERE e.class_id = c.id AND e.status IN ('active', 'paused'))",
    )
    .get_result::<Count>(conn)
    .map(|c| c.n)
}

/// Enrollments whose configuration has no price in force on their enrollment date, or whose
/// agreed fee is not that price (must be 0).
pub fn unpriced_enrollments(conn: &mut PgConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    sql_query(
        "SELECT count(*) AS n FROM course_enrollments e
         WHERE NOT EXISTS (SELECT 1 FROM facility_course_pricing p
            WHERE p.facility_id = e.facility_id AND p.course_id = e.course_id AND p.age_group = e.age_group
              AND p.location_type = e.location_type AND p.session_type = e.session_type
              AND p.effective_date <= e.enrollment_date AND (p.end_date IS NULL OR p.end_date > e.enrollment_date)
              AND p.price = e.agreed_fee)",
    )
    .get_result::<Count>(conn)
    .map(|c| c.n)
}
