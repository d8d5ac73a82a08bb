//! The navigation: each entry shows only to roles whose permissions reach its page.

use crate::access::{permission::allows, Action, Role};

pub struct NavLink {
    pub label: &'static str,
    pub href: &'static str,
    pub active: bool,
}

const ENTRIES: &[(&str, &str, Action)] = &[
    ("Dashboard", "/dashboard", Action::ViewDashboard),
    ("My courses", "/my-courses", Action::ViewMyCourses),
    ("Students", "/students", Action::ViewStudents),
    ("Enrollments", "/enrollments", Action::ManageEnrollments),
    ("Team", "/team", Action::ManageTeam),
    (
        "Reference data",
        "/reference-data",
        Action::ManageReferenceData,
    ),
    ("Programs", "/programs", Action::ManagePrograms),
    ("Users", "/users", Action::ManageAllUsers),
    ("Courses", "/courses", Action::ViewCatalogue),
    ("Facilities", "/facilities", Action::ViewFacilities),
];

pub fn links(role: Role, current_path: &str) -> Vec<NavLink> {
    ENTRIES
        .iter()
        .filter(|(_, _, action)| allows(role, *action))
        .map(|(label, href, _)| NavLink {
            label,
            href,
            active: current_path.starts_with(href),
        })
        .collect()
}
