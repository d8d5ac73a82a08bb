//! The navigation: each entry shows only to roles whose permissions reach its page. The pages of
//! daily work stand in the bar; the money pages, a program's settings and the academy's sections
//! are grouped under one menu each (one "Settings" menu for a super admin, who has both settings
//! menus), so that the header fits one row at 1280 px for every role.

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
            ("Activity", "/activity", Action::ViewActivity),
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

/// The menus merged into one "Settings" menu when a role has more than one of them.
const SETTINGS_MENUS: &[&str] = &["Settings", "Academy"];

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
    let (settings, mut groups): (Vec<NavGroup>, Vec<NavGroup>) = GROUPS
        .iter()
        .map(|(label, entries)| NavGroup {
            label,
            links: links(role, current_path, entries),
        })
        .filter(|g| !g.links.is_empty())
        .partition(|g| SETTINGS_MENUS.contains(&g.label));
    // A super admin has both settings menus: one "Settings" menu keeps the bar to one row at 1280 px.
    if settings.len() > 1 {
        let links = settings.into_iter().flat_map(|g| g.links).collect();
        groups.push(NavGroup {
            label: "Settings",
            links,
        });
    } else {
        groups.extend(settings);
    }
    Nav {
        links: links(role, current_path, DAILY),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn menus(role: Role) -> Vec<(&'static str, Vec<&'static str>)> {
        for_role(role, "/dashboard")
            .groups
            .into_iter()
            .map(|g| (g.label, g.links.iter().map(|l| l.label).collect()))
            .collect()
    }

    #[test]
    fn the_money_pages_have_their_own_menu_beside_settings() {
        let fees = ("Fees", vec!["Balances", "Invoices", "New prices to apply"]);
        let admin = menus(Role::ProgramAdmin);
        assert_eq!(admin[0], fees);
        assert_eq!(admin[1].0, "Settings");
        assert!(!admin[1].1.contains(&"Balances"));
        let coordinator = menus(Role::ProgramCoordinator);
        assert_eq!(coordinator[0], fees);
        let superadmin = menus(Role::SuperAdmin);
        assert_eq!(superadmin.len(), 2, "Fees and one Settings menu");
        assert!(superadmin[1].1.contains(&"Programs") && superadmin[1].1.contains(&"Team"));
        assert!(menus(Role::Tutor).is_empty(), "tutors never see money");
    }
}
