//! The curriculum tree of a course: curricula > modules > lessons, shown as one tree (with lesson
//! durations summed per module and curriculum), edited by program admins, reordered with htmx.

use actix_web::HttpResponse;

mod form;
pub mod handlers;
mod markdown;
mod model;

pub use model::{lessons_of, load_trees, LessonRef};

use crate::{courses::Course, enrollments::EnrollmentLine};
use model::CurriculumNode;

/// One course's tree as the templates show it (`curricula/tree.html`), with its roster for the
/// pages that show one (`courses/roster.html`).
pub struct TreeView {
    pub course: Course,
    pub nodes: Vec<CurriculumNode>,
    pub roster: Vec<EnrollmentLine>,
    pub can_edit: bool,
    /// A message for the page's message region, sent out of band with an htmx swap.
    pub notice: String,
}

impl TreeView {
    pub fn total_minutes(&self) -> i64 {
        self.nodes.iter().map(|c| c.total_minutes).sum()
    }

    pub fn lesson_count(&self) -> usize {
        self.nodes.iter().map(|c| c.lesson_count()).sum()
    }

    pub fn duration(&self) -> String {
        model::duration(self.total_minutes())
    }

    /// "2 curricula · 24 lessons · 19 h 30 min".
    pub fn summary(&self) -> String {
        use crate::web::format::plural;
        format!(
            "{} · {} · {}",
            plural(self.nodes.len() as i64, "curriculum", "curricula"),
            plural(self.lesson_count() as i64, "lesson", "lessons"),
            self.duration()
        )
    }
}

/// `/curricula`, `/modules`, `/lessons`: the "section" the program switcher lands on from a tree
/// page (a record of the old program does not exist in the new one); the tree lives on courses.
pub async fn to_courses() -> HttpResponse {
    crate::web::redirect("/courses")
}
