//! The permission table of docs/decisions.md, every role x every action; and the sweep of every declared
//! route with every role: a refusal changes nothing.

use academy_admin::{
    access::{permission::allows, Action, Permission, Role},
    routes::ROUTES,
};

use crate::support::{spawn_app, TestApp};

/// docs/decisions.md's table, written out: S = super admin, A = program admin, C = coordinator, T = tutor.
const EXPECTED: &[(Action, &str)] = &[
    (Action::ManagePrograms, "S"),
    (Action::ManageAllUsers, "S"),
    (Action::ViewDashboard, "SAC"),
    (Action::ViewMyCourses, "T"),
    (Action::ManageReferenceData, "SA"),
    (Action::ManageTeam, "SA"),
    (Action::ViewCatalogue, "SACT"),
    (Action::EditCatalogue, "SA"),
    (Action::EditCurricula, "SAC"),
    (Action::AssignTutors, "SA"),
    (Action::ViewFacilities, "SACT"),
    (Action::EditFacilities, "SA"),
    (Action::ViewPricing, "SAC"),
    (Action::EditPricing, "SA"),
    (Action::ViewStudents, "SACT"),
    (Action::EditStudents, "SAC"),
    (Action::ManageEnrollments, "SAC"),
    (Action::RecordProgress, "SACT"),
    (Action::ExportData, "SAC"),
    (Action::ViewTimetable, "SACT"),
    (Action::TakeAttendance, "SACT"),
    (Action::ManageTimetable, "SAC"),
    (Action::ManageBilling, "SA"),
    (Action::ManageFees, "SAC"),
    (Action::ViewHistory, "SAC"),
    (Action::ViewActivity, "SA"),
    (Action::ViewGuardians, "SACT"),
    (Action::EditGuardians, "SAC"),
    (Action::ImportStudents, "SAC"),
];

fn letter(role: Role) -> char {
    match role {
        Role::SuperAdmin => 'S',
        Role::ProgramAdmin => 'A',
        Role::ProgramCoordinator => 'C',
        Role::Tutor => 'T',
    }
}

#[test]
fn every_role_and_action_matches_the_product_table() {
    assert_eq!(EXPECTED.len(), Action::ALL.len(), "every action has a row");
    for (action, roles) in EXPECTED {
        for role in Role::ALL {
            assert_eq!(
                allows(*role, *action),
                roles.contains(letter(*role)),
                "{role:?} {action:?}"
            );
        }
    }
}

/// A demo user of each role, all of them in Swimming (the super admin in every program).
const USERS: &[(&str, Role)] = &[
    ("superadmin", Role::SuperAdmin),
    ("swim.admin", Role::ProgramAdmin),
    ("swim.coord", Role::ProgramCoordinator),
    ("swim.tutor", Role::Tutor),
];

/// A path of the route with its `{param}`s filled. Ids come from Football, a program none of the
/// Swimming users may use, so a route that leaks across programs shows up here.
fn concrete(app: &TestApp, path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').unwrap() + start;
        let param = &rest[start + 1..end];
        let value = match param {
            "file" => "app.css".to_string(),
            other => app.football_id_for(other).to_string(),
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether the path names a record by id (not a static file).
fn has_record_id(path: &str) -> bool {
    path.contains('{') && !path.contains("{file}")
}

#[actix_web::test]
async fn every_route_refuses_anonymous_users_roles_without_the_right_and_ids_of_another_program_changing_nothing(
) {
    let app = spawn_app().await;
    let football = app.program_id("Football");
    let mut clients = Vec::new();
    for (username, role) in USERS {
        clients.push((*role, app.login(username).await));
    }
    // Made before the fingerprint: the demo data has no import to find.
    app.football_id_for("import_id");
    let before = app.fingerprint();
    let mut anonymous = app.anonymous();
    anonymous.get("/login").await;
    let mut checked = 0;
    for route in ROUTES {
        let path = concrete(&app, route.path);
        let writes = route.method != "GET";
        if route.permission != Permission::Public {
            let res = if writes {
                anonymous.post(&path, &[]).await
            } else {
                anonymous.get(&path).await
            };
            assert_eq!(res.status, 303, "anonymous {} {path}", route.method);
            assert!(
                res.location().unwrap().starts_with("/login"),
                "anonymous {} {path}",
                route.method
            );
            checked += 1;
        }
        let Permission::Act(action) = route.permission else {
            continue;
        };
        for (role, client) in clients.iter_mut() {
            client.get("/").await;
            if !allows(*role, action) {
                let res = if writes {
                    client.post(&path, &[]).await
                } else {
                    client.get(&path).await
                };
                assert_eq!(res.status, 403, "{role:?} {} {path}", route.method);
                checked += 1;
            } else if action.is_program_scoped() && *role != Role::SuperAdmin {
                // Allowed here, but never in a program the user is not assigned to.
                let res = if writes {
                    client.htmx_post(&path, &[], Some(football)).await
                } else {
                    client.htmx_get(&path, Some(football)).await
                };
                assert_eq!(
                    res.status, 403,
                    "{role:?} {} {path} in Football",
                    route.method
                );
                assert!(
                    !res.body.contains("Football"),
                    "the refusal does not name the program"
                );
                checked += 1;
            }
            if allows(*role, action) && action.is_program_scoped() && has_record_id(route.path) {
                // In the user's own program (Swimming), an id of Football is not found: never
                // shown, never changed (a malformed empty form may be refused first).
                let swimming = Some(app.program_id("Swimming"));
                let res = if writes {
                    client.htmx_post(&path, &[], swimming).await
                } else {
                    client.htmx_get(&path, swimming).await
                };
                assert!(
                    [400, 404, 409, 422].contains(&res.status),
                    "{role:?} {} {path} with Football ids from Swimming answered {}: {}",
                    route.method,
                    res.status,
                    res.body
                );
                if !writes {
                    assert_eq!(res.status, 404, "{role:?} GET {path} with Football ids");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
    assert_eq!(
        app.fingerprint(),
        before,
        "no refused request changed anything"
    );
}
