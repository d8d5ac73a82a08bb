//! The curriculum tree of a course: curricula > modules > lessons, each ordered by a contiguous
//! `sequence_order` 1..n within its parent. Reads go through the courses the request may see
//! (`courses::model::visible_ids`), so a tutor reaches only their own courses' trees.

use std::collections::HashMap;

use diesel::{pg::Pg, prelude::*};
use uuid::Uuid;

use super::markdown;
use crate::{
    access::ProgramScope,
    courses::visible_ids,
    error::{AppError, AppResult},
    schema::{courses, curricula, lessons, modules},
    web::format::plural,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = curricula, check_for_backend(Pg))]
pub struct Curriculum {
    pub id: Uuid,
    pub course_id: Uuid,
    pub name: String,
    pub description: String,
    pub sequence_order: i32,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = modules, check_for_backend(Pg))]
pub struct Module {
    pub id: Uuid,
    pub curriculum_id: Uuid,
    pub name: String,
    pub description: String,
    pub sequence_order: i32,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = lessons, check_for_backend(Pg))]
pub struct Lesson {
    pub id: Uuid,
    pub module_id: Uuid,
    pub name: String,
    pub content: String,
    pub duration_minutes: i32,
    pub sequence_order: i32,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// The version a record's delete form carries (`web::form::check_version`).
macro_rules! versioned {
    ($($record:ty),+) => {
        $(impl $record {
            pub fn version(&self) -> String {
                crate::web::form::version(self.updated_at)
            }
        })+
    };
}
versioned!(Curriculum, Module, Lesson);

pub struct LessonNode {
    pub lesson: Lesson,
    pub content_html: String,
    pub first: bool,
    pub last: bool,
}

pub struct ModuleNode {
    pub module: Module,
    pub lessons: Vec<LessonNode>,
    pub total_minutes: i64,
    pub first: bool,
    pub last: bool,
}

pub struct CurriculumNode {
    pub curriculum: Curriculum,
    pub modules: Vec<ModuleNode>,
    pub total_minutes: i64,
    pub first: bool,
    pub last: bool,
}

impl CurriculumNode {
    pub fn lesson_count(&self) -> usize {
        self.modules.iter().map(|m| m.lessons.len()).sum()
    }
    pub fn duration(&self) -> String {
        duration(self.total_minutes)
    }
    /// "3 modules · 2 h 15 min".
    pub fn summary(&self) -> String {
        format!(
            "{} · {}",
            plural(self.modules.len() as i64, "module", "modules"),
            self.duration()
        )
    }
}

impl ModuleNode {
    pub fn duration(&self) -> String {
        duration(self.total_minutes)
    }
    /// "4 lessons · 3 h".
    pub fn summary(&self) -> String {
        format!(
            "{} · {}",
            plural(self.lessons.len() as i64, "lesson", "lessons"),
            self.duration()
        )
    }
}

impl LessonNode {
    pub fn duration(&self) -> String {
        duration(i64::from(self.lesson.duration_minutes))
    }
}

/// "1 h 30 min", "45 min", "0 min".
pub fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The trees of several courses in three queries, whatever their size: curricula, then modules,
/// then lessons, assembled here. Courses the request may not see get no tree.
pub fn load_trees(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<CurriculumNode>>> {
    let all_curricula: Vec<Curriculum> = scope
        .curricula()
        .filter(curricula::course_id.eq_any(course_ids))
        .filter(curricula::course_id.eq_any(visible_ids(scope)))
        .order((curricula::sequence_order, curricula::id))
        .select(Curriculum::as_select())
        .load(conn)?;
    let curriculum_ids: Vec<Uuid> = all_curricula.iter().map(|c| c.id).collect();
    let all_modules: Vec<Module> = if curriculum_ids.is_empty() {
        Vec::new()
    } else {
        scope
            .modules()
            .filter(modules::curriculum_id.eq_any(&curriculum_ids))
            .order((modules::sequence_order, modules::id))
            .select(Module::as_select())
            .load(conn)?
    };
    let module_ids: Vec<Uuid> = all_modules.iter().map(|m| m.id).collect();
    let all_lessons: Vec<Lesson> = if module_ids.is_empty() {
        Vec::new()
    } else {
        scope
            .lessons()
            .filter(lessons::module_id.eq_any(&module_ids))
            .order((lessons::sequence_order, lessons::id))
            .select(Lesson::as_select())
            .load(conn)?
    };

    let mut lessons_by_module: HashMap<Uuid, Vec<Lesson>> = HashMap::new();
    for lesson in all_lessons {
        lessons_by_module
            .entry(lesson.module_id)
            .or_default()
            .push(lesson);
    }
    let mut modules_by_curriculum: HashMap<Uuid, Vec<ModuleNode>> = HashMap::new();
    for module in all_modules {
        let lessons = lessons_by_module.remove(&module.id).unwrap_or_default();
        let count = lessons.len();
        let lessons: Vec<LessonNode> = lessons
            .into_iter()
            .enumerate()
            .map(|(i, lesson)| LessonNode {
                content_html: markdown::render(&lesson.content),
                lesson,
                first: i == 0,
                last: i + 1 == count,
            })
            .collect();
        let total_minutes = lessons
            .iter()
            .map(|l| i64::from(l.lesson.duration_minutes))
            .sum();
        modules_by_curriculum
            .entry(module.curriculum_id)
            .or_default()
            .push(ModuleNode {
                module,
                lessons,
                total_minutes,
                first: false,
                last: false,
            });
    }
    let mut trees: HashMap<Uuid, Vec<CurriculumNode>> = HashMap::new();
    for curriculum in all_curricula {
        let mut modules = modules_by_curriculum
            .remove(&curriculum.id)
            .unwrap_or_default();
        let count = modules.len();
        for (i, m) in modules.iter_mut().enumerate() {
            m.first = i == 0;
            m.last = i + 1 == count;
        }
        let total_minutes = modules.iter().map(|m| m.total_minutes).sum();
        trees
            .entry(curriculum.course_id)
            .or_default()
            .push(CurriculumNode {
                curriculum,
                modules,
                total_minutes,
                first: false,
                last: false,
            });
    }
    for tree in trees.values_mut() {
        let count = tree.len();
        for (i, c) in tree.iter_mut().enumerate() {
            c.first = i == 0;
            c.last = i + 1 == count;
        }
    }
    Ok(trees)
}

pub fn find_curriculum(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
) -> AppResult<Curriculum> {
    Ok(scope
        .curricula()
        .filter(curricula::id.eq(id))
        .filter(curricula::course_id.eq_any(visible_ids(scope)))
        .select(Curriculum::as_select())
        .first(conn)?)
}

/// A module with its curriculum (for the course it belongs to).
pub fn find_module(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
) -> AppResult<(Module, Curriculum)> {
    let module: Module = scope
        .modules()
        .filter(modules::id.eq(id))
        .select(Module::as_select())
        .first(conn)?;
    let curriculum = find_curriculum(conn, scope, module.curriculum_id)?;
    Ok((module, curriculum))
}

/// A lesson with its module and curriculum.
pub fn find_lesson(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
) -> AppResult<(Lesson, Module, Curriculum)> {
    let lesson: Lesson = scope
        .lessons()
        .filter(lessons::id.eq(id))
        .select(Lesson::as_select())
        .first(conn)?;
    let (module, curriculum) = find_module(conn, scope, lesson.module_id)?;
    Ok((lesson, module, curriculum))
}

/// Which way a node moves among its siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn parse(raw: &str) -> AppResult<Self> {
        match raw {
            "up" => Ok(Self::Up),
            "down" => Ok(Self::Down),
            _ => Err(AppError::bad_request("Move up or down.")),
        }
    }
}

/// The siblings' ids in their new order (1..n): `id` swapped with its neighbour, if it has one.
fn reordered(mut ids: Vec<Uuid>, id: Uuid, direction: Option<Direction>) -> Vec<Uuid> {
    if let (Some(direction), Some(i)) = (direction, ids.iter().position(|x| *x == id)) {
        match direction {
            Direction::Up if i > 0 => ids.swap(i, i - 1),
            Direction::Down if i + 1 < ids.len() => ids.swap(i, i + 1),
            _ => {}
        }
    }
    ids
}

/// Writes 1..n to the rows whose order changed.
fn write_orders(
    current: &[(Uuid, i32)],
    order: &[Uuid],
    mut set: impl FnMut(Uuid, i32) -> QueryResult<usize>,
) -> AppResult<()> {
    for (i, id) in order.iter().enumerate() {
        let wanted = i as i32 + 1;
        let now = current.iter().find(|(x, _)| x == id).map(|(_, o)| *o);
        if now != Some(wanted) {
            set(*id, wanted)?;
        }
    }
    Ok(())
}

/// The three levels of the tree, for what is the same on each: the parent's lock and the order
/// among siblings.
#[derive(Debug, Clone, Copy)]
enum Level {
    Curricula,
    Modules,
    Lessons,
}

impl Level {
    /// Serialises changes among the children of one parent on the parent's row.
    fn lock_parent(self, conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<()> {
        match self {
            Level::Curricula => scope
                .courses()
                .filter(courses::id.eq(id))
                .select(courses::id)
                .for_update()
                .first::<Uuid>(conn)?,
            Level::Modules => scope
                .curricula()
                .filter(curricula::id.eq(id))
                .select(curricula::id)
                .for_update()
                .first::<Uuid>(conn)?,
            Level::Lessons => scope
                .modules()
                .filter(modules::id.eq(id))
                .select(modules::id)
                .for_update()
                .first::<Uuid>(conn)?,
        };
        Ok(())
    }

    /// The children of `parent_id` with their order, in order.
    fn siblings(
        self,
        conn: &mut PgConnection,
        scope: &ProgramScope,
        parent_id: Uuid,
    ) -> AppResult<Vec<(Uuid, i32)>> {
        Ok(match self {
            Level::Curricula => scope
                .curricula()
                .filter(curricula::course_id.eq(parent_id))
                .order((curricula::sequence_order, curricula::id))
                .select((curricula::id, curricula::sequence_order))
                .load(conn)?,
            Level::Modules => scope
                .modules()
                .filter(modules::curriculum_id.eq(parent_id))
                .order((modules::sequence_order, modules::id))
                .select((modules::id, modules::sequence_order))
                .load(conn)?,
            Level::Lessons => scope
                .lessons()
                .filter(lessons::module_id.eq(parent_id))
                .order((lessons::sequence_order, lessons::id))
                .select((lessons::id, lessons::sequence_order))
                .load(conn)?,
        })
    }

    fn set_order(
        self,
        conn: &mut PgConnection,
        scope: &ProgramScope,
        id: Uuid,
        n: i32,
    ) -> QueryResult<usize> {
        match self {
            Level::Curricula => diesel::update(scope.curricula().filter(curricula::id.eq(id)))
                .set(curricula::sequence_order.eq(n))
                .execute(conn),
            Level::Modules => diesel::update(scope.modules().filter(modules::id.eq(id)))
                .set(modules::sequence_order.eq(n))
                .execute(conn),
            Level::Lessons => diesel::update(scope.lessons().filter(lessons::id.eq(id)))
                .set(lessons::sequence_order.eq(n))
                .execute(conn),
        }
    }

    /// The order after an insert (the next number), for the new row.
    fn next_order(
        self,
        conn: &mut PgConnection,
        scope: &ProgramScope,
        parent_id: Uuid,
    ) -> AppResult<i32> {
        self.lock_parent(conn, scope, parent_id)?;
        Ok(self.siblings(conn, scope, parent_id)?.len() as i32 + 1)
    }

    /// Renumbers the children of `parent_id` 1..n, after moving one of them if asked.
    fn reorder(
        self,
        conn: &mut PgConnection,
        scope: &ProgramScope,
        parent_id: Uuid,
        moving: Option<(Uuid, Direction)>,
    ) -> AppResult<()> {
        let current = self.siblings(conn, scope, parent_id)?;
        let ids = current.iter().map(|(id, _)| *id).collect();
        let order = match moving {
            Some((id, d)) => reordered(ids, id, Some(d)),
            None => ids,
        };
        write_orders(&current, &order, |id, n| self.set_order(conn, scope, id, n))
    }

    fn move_child(
        self,
        conn: &mut PgConnection,
        scope: &ProgramScope,
        parent_id: Uuid,
        id: Uuid,
        direction: Direction,
    ) -> AppResult<()> {
        self.lock_parent(conn, scope, parent_id)?;
        self.reorder(conn, scope, parent_id, Some((id, direction)))
    }
}

// ----- Curricula -----

pub struct NodeCommand {
    pub name: String,
    pub description: String,
}

pub fn create_curriculum(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    course_id: Uuid,
    command: &NodeCommand,
) -> AppResult<Uuid> {
    let next = Level::Curricula.next_order(conn, scope, course_id)?;
    Ok(curricula::insert()
        .values((
            curricula::program_id.eq(scope.program_id()),
            curricula::course_id.eq(course_id),
            curricula::name.eq(&command.name),
            curricula::description.eq(&command.description),
            curricula::sequence_order.eq(next),
        ))
        .returning(curricula::id)
        .get_result(conn)?)
}

pub fn update_curriculum(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    command: &NodeCommand,
) -> AppResult<()> {
    diesel::update(scope.curricula().filter(curricula::id.eq(id)))
        .set((
            curricula::name.eq(&command.name),
            curricula::description.eq(&command.description),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete_curriculum(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    curriculum: &Curriculum,
) -> AppResult<()> {
    Level::Curricula.lock_parent(conn, scope, curriculum.course_id)?;
    let children = Level::Modules.siblings(conn, scope, curriculum.id)?.len() as i64;
    if children > 0 {
        return Err(AppError::conflict(format!(
            "Curriculum \u{201c}{}\u{201d} still has {}. Delete or move them first; nothing was deleted.",
            curriculum.name,
            plural(children, "module", "modules")
        )));
    }
    diesel::delete(scope.curricula().filter(curricula::id.eq(curriculum.id))).execute(conn)?;
    Level::Curricula.reorder(conn, scope, curriculum.course_id, None)
}

pub fn move_curriculum(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    curriculum: &Curriculum,
    direction: Direction,
) -> AppResult<()> {
    Level::Curricula.move_child(conn, scope, curriculum.course_id, curriculum.id, direction)
}

// ----- Modules -----

pub fn create_module(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    curriculum_id: Uuid,
    command: &NodeCommand,
) -> AppResult<Uuid> {
    let next = Level::Modules.next_order(conn, scope, curriculum_id)?;
    Ok(modules::insert()
        .values((
            modules::program_id.eq(scope.program_id()),
            modules::curriculum_id.eq(curriculum_id),
            modules::name.eq(&command.name),
            modules::description.eq(&command.description),
            modules::sequence_order.eq(next),
        ))
        .returning(modules::id)
        .get_result(conn)?)
}

pub fn update_module(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    command: &NodeCommand,
) -> AppResult<()> {
    diesel::update(scope.modules().filter(modules::id.eq(id)))
        .set((
            modules::name.eq(&command.name),
            modules::description.eq(&command.description),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete_module(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    module: &Module,
) -> AppResult<()> {
    Level::Modules.lock_parent(conn, scope, module.curriculum_id)?;
    let children = Level::Lessons.siblings(conn, scope, module.id)?.len() as i64;
    if children > 0 {
        return Err(AppError::conflict(format!(
            "Module \u{201c}{}\u{201d} still has {}. Delete them first; nothing was deleted.",
            module.name,
            plural(children, "lesson", "lessons")
        )));
    }
    diesel::delete(scope.modules().filter(modules::id.eq(module.id))).execute(conn)?;
    Level::Modules.reorder(conn, scope, module.curriculum_id, None)
}

pub fn move_module(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    module: &Module,
    direction: Direction,
) -> AppResult<()> {
    Level::Modules.move_child(conn, scope, module.curriculum_id, module.id, direction)
}

// ----- Lessons -----

pub struct LessonCommand {
    pub name: String,
    pub content: String,
    pub duration_minutes: i32,
}

pub fn create_lesson(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    module_id: Uuid,
    command: &LessonCommand,
) -> AppResult<Uuid> {
    let next = Level::Lessons.next_order(conn, scope, module_id)?;
    Ok(lessons::insert()
        .values((
            lessons::program_id.eq(scope.program_id()),
            lessons::module_id.eq(module_id),
            lessons::name.eq(&command.name),
            lessons::content.eq(&command.content),
            lessons::duration_minutes.eq(command.duration_minutes),
            lessons::sequence_order.eq(next),
        ))
        .returning(lessons::id)
        .get_result(conn)?)
}

pub fn update_lesson(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    command: &LessonCommand,
) -> AppResult<()> {
    diesel::update(scope.lessons().filter(lessons::id.eq(id)))
        .set((
            lessons::name.eq(&command.name),
            lessons::content.eq(&command.content),
            lessons::duration_minutes.eq(command.duration_minutes),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete_lesson(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    lesson: &Lesson,
) -> AppResult<()> {
    Level::Lessons.lock_parent(conn, scope, lesson.module_id)?;
    diesel::delete(scope.lessons().filter(lessons::id.eq(lesson.id))).execute(conn)?;
    Level::Lessons.reorder(conn, scope, lesson.module_id, None)
}

pub fn move_lesson(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    lesson: &Lesson,
    direction: Direction,
) -> AppResult<()> {
    Level::Lessons.move_child(conn, scope, lesson.module_id, lesson.id, direction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_swaps_with_the_neighbour_and_stops_at_the_ends() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        let up = reordered(ids.clone(), ids[1], Some(Direction::Up));
        assert_eq!(up, vec![ids[1], ids[0], ids[2]]);
        let down = reordered(ids.clone(), ids[2], Some(Direction::Down));
        assert_eq!(down, ids);
        let top = reordered(ids.clone(), ids[0], Some(Direction::Up));
        assert_eq!(top, ids);
    }

    #[test]
    fn durations_read_in_hours_and_minutes() {
        assert_eq!(duration(0), "0 min");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(120), "2 h");
        assert_eq!(duration(95), "1 h 35 min");
    }
}

/// A lesson as attendance and progress see it: in its curriculum, with its module's name.
#[derive(Debug, Clone)]
pub struct LessonRef {
    pub id: Uuid,
    pub curriculum_id: Uuid,
    pub module: String,
    pub name: String,
    pub duration_minutes: i32,
}

/// The lessons of `curriculum_ids`, in the tree's order (module, then lesson), in two queries.
pub fn lessons_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    curriculum_ids: &[Uuid],
) -> QueryResult<Vec<LessonRef>> {
    if curriculum_ids.is_empty() {
        return Ok(Vec::new());
    }
    let modules: Vec<(Uuid, Uuid, String)> = scope
        .modules()
        .filter(modules::curriculum_id.eq_any(curriculum_ids))
        .order((modules::curriculum_id, modules::sequence_order, modules::id))
        .select((modules::id, modules::curriculum_id, modules::name))
        .load(conn)?;
    let module_ids: Vec<Uuid> = modules.iter().map(|m| m.0).collect();
    let lessons: Vec<(Uuid, Uuid, String, i32)> = scope
        .lessons()
        .filter(lessons::module_id.eq_any(&module_ids))
        .order((lessons::sequence_order, lessons::id))
        .select((
            lessons::id,
            lessons::module_id,
            lessons::name,
            lessons::duration_minutes,
        ))
        .load(conn)?;
    Ok(modules
        .iter()
        .flat_map(|(module_id, curriculum_id, module)| {
            lessons
                .iter()
                .filter(move |l| l.1 == *module_id)
                .map(move |(id, _, name, minutes)| LessonRef {
                    id: *id,
                    curriculum_id: *curriculum_id,
                    module: module.clone(),
                    name: name.clone(),
                    duration_minutes: *minutes,
                })
        })
        .collect())
}

/// The curriculum a module belongs to.
pub fn curriculum_of_module(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    module_id: Uuid,
) -> QueryResult<Uuid> {
    scope
        .modules()
        .filter(modules::id.eq(module_id))
        .select(modules::curriculum_id)
        .first(conn)
}
