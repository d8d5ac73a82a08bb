//! The navigation: each entry shows only to roles whose permissions reach its page. The pages of
//! daily work stand in the bar; a program's settings and the academy's sections are grouped
//! under one menu each (one "Settings" menu for a super admin, who has both), so that the header
//! fits one row at 1280 px for every role.

use crate::access::{permission::allows, Action, Role};

pub struct NavLink {
    pub label: &'static str,
    pub href: &'static str,
    pub active: bool,
}

/// A menu of the bar: its label and its links (none: the role has no page in it).
pub struct NavGroup {
    pub label: &'static str,
    pub links: Vec<NavLink>,
}

impl NavGroup {
    pub fn active(&self) -> bool {
        self.links.iter().any(|l| l.active)
    }
}

pub struct Nav {
    pub links: Vec<NavLink>,
    pub groups: Vec<NavGroup>,
}

const DAILY: &[(&str, &str, Action)] = &[
    ("Dashboard", "/dashboard", Action::ViewDashboard),
    // A tutor's day; staff reach it from the timetable (their header has no room to spare).
    ("Today", "/today", Action::ViewMyCourses),
    ("My courses", "/my-courses", Action::ViewMyCourses),
    ("Students", "/students", Action::ViewStudents),
    ("Enrollments", "/enrollments", Action::ManageEnrollments),
    ("Timetable", "/calendar", Action::ViewTimetable),
    ("Courses", "/courses", Action::ViewCatalogue),
    ("Facilities", "/facilities", Action::ViewFacilities),
];

const GROUPS: &[(&str, &[(&str, &str, Action)])] = &[
    (
        "Fees",
        &[
            ("Balances", "/fees/balances", Action::ManageFees),
            ("Invoices", "/invoices", Action::ManageFees),
            (
                "New prices to apply",
                "/fees/new-prices",
                Action::ManageFees,
            ),
        ],
    ),
    (
        "Settings",
        &[
            ("Team", "/team", Action::ManageTeam),
            ("Closures", "/closures", Action::ManageTimetable),
            ("Billing periods", "/billing", Action::ManageBilling),
            (
                "Reference data",
                "/reference-data",
                Action::ManageReferenceData,
            ),
        ],
    ),
    (
        "Academy",
        &[
            ("Programs", "/programs", Action::ManagePrograms),
            ("Users", "/users", Action::ManageAllUsers),
        ],
    ),
];

fn links(
    role: Role,
    current_path: &str,
    entries: &[(&'static str, &'static str, Action)],
) -> Vec<NavLink> {
    entries
        .iter()
        .filter(|(_, _, action)| allows(role, *action))
        .map(|(label, href, _)| NavLink {
            label,
            href,
            active: current_path.starts_with(href),
        })
        .collect()
}

pub fn for_role(role: Role, current_path: &str) -> Nav {
    let mut groups: Vec<NavGroup> = GROUPS
        .iter()
        .map(|(label, entries)| NavGroup {
            label,
            links: links(role, current_path, entries),
        })
        .filter(|g| !g.links.is_empty())
        .collect();
    // A super admin has both menus: one "Settings" menu keeps the bar to one row at 1280 px.
    if groups.len() > 1 {
        let links = groups.drain(..).flat_map(|g| g.links).collect();
        groups.push(NavGroup {
            label: "Settings",
            links,
        });
    }
    Nav {
        links: links(role, current_path, DAILY),
        groups,
    }
}
