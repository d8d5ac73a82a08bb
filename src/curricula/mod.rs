//! The curriculum tree of a course: curricula > modules > lessons, shown as one tree (with lesson
//! durations summed per module and curriculum), edited by program admins, reordered with htmx.

pub mod form;
pub mod handlers;
pub mod markdown;
pub mod model;

use uuid::Uuid;

use crate::courses::{model::Course, roster::RosterRow};
use model::CurriculumNode;

/// One course's tree as the templates show it (`curricula/tree.html`), with its roster for the
/// pages that show one (`courses/roster.html`).
pub struct TreeView {
    pub course: Course,
    pub nodes: Vec<CurriculumNode>,
    pub roster: Vec<RosterRow>,
    pub can_edit: bool,
    /// A message for the page's message region, sent out of band with an htmx swap.
    pub notice: String,
}

impl TreeView {
    pub fn course_id(&self) -> Uuid {
        self.course.id
    }

    pub fn total_minutes(&self) -> i64 {
        self.nodes.iter().map(|c| c.total_minutes).sum()
    }

    pub fn lesson_count(&self) -> usize {
        self.nodes.iter().map(|c| c.lesson_count()).sum()
    }

    pub fn duration(&self) -> String {
        model::duration(self.total_minutes())
    }
}
