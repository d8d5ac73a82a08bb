//! The schema itself: the seed's tables and columns, and the rules the database enforces alone.

use academy_admin::db::MIGRATIONS;
use diesel::{prelude::*, sql_query, sql_types::Text};
use diesel_migrations::MigrationHarness;

use crate::support::TestDb;

#[derive(QueryableByName, Debug)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn tables(conn: &mut PgConnection) -> Vec<String> {
    sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' ORDER BY 1",
    )
    .load::<Name>(conn)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect()
}

#[test]
fn migrations_go_up_down_and_up_again() {
    let db = TestDb::empty();
    let mut conn = db.connect();
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    let first = tables(&mut conn);
    assert!(
        first.len() >= 11,
        "the seed's eleven tables at least: {first:?}"
    );
    conn.revert_all_migrations(MIGRATIONS).unwrap();
    assert_eq!(
        tables(&mut conn),
        Vec::<String>::new(),
        "every down.sql removes what its up.sql made"
    );
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let leftovers = sql_query(
        "SELECT count(*) AS n FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typtype = 'e'",
    )
    .get_result::<Count>(&mut conn)
    .unwrap();
    assert_eq!(leftovers.n, 0, "no enum type is left behind");
    conn.run_pending_migrations(MIGRATIONS).unwrap();
    assert_eq!(tables(&mut conn), first);
}

/// Every table and column of ../shared/seed/schema-overview.md, by the seed's names, plus the
/// decided change: enrollments reference students through `student_id`.
const SEED_COLUMNS: &[(&str, &[&str])] = &[
    (
        "users",
        &[
            "id",
            "username",
            "email",
            "password_hash",
            "role",
            "is_active",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "programs",
        &[
            "id",
            "name",
            "description",
            "is_active",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "user_program_assignments",
        &["id", "user_id", "program_id", "assigned_at", "assigned_by"],
    ),
    (
        "courses",
        &[
            "id",
            "program_id",
            "name",
            "description",
            "level",
            "is_active",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "students",
        &[
            "id",
            "program_id",
            "student_id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "date_of_birth",
            "enrollment_date",
            "status",
            "address",
            // The seed's emergency_contact moved to guardians (issue 21, migration 000036).
            "medical_info",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "course_enrollments",
        &[
            "id",
            "student_id",
            "course_id",
            "program_id",
            "facility_id",
            "session_type",
            "location_type",
            "age_group",
            "status",
            "enrollment_date",
            "completion_date",
            "progress_percentage",
            "credits_awarded",
            "assignment_type",
            "assignment_notes",
            "assigned_by",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "facilities",
        &[
            "id",
            "program_id",
            "name",
            "facility_type",
            "capacity",
            "equipment",
            "amenities",
            "status",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "facility_course_pricing",
        &[
            "id",
            "facility_id",
            "course_id",
            "program_id",
            "age_group",
            "location_type",
            "session_type",
            "price",
            "is_active",
            "effective_date",
            "end_date",
            "created_by",
            "updated_by",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "curricula",
        &[
            "id",
            "program_id",
            "course_id",
            "name",
            "description",
            "sequence_order",
        ],
    ),
    (
        "modules",
        &[
            "id",
            "program_id",
            "curriculum_id",
            "name",
            "description",
            "sequence_order",
        ],
    ),
    (
        "lessons",
        &[
            "id",
            "program_id",
            "module_id",
            "name",
            "content",
            "duration_minutes",
            "sequence_order",
        ],
    ),
];

#[test]
fn every_seed_table_and_column_exists_with_timestamps_everywhere() {
    let db = TestDb::new();
    let mut conn = db.connect();
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
    }
    let columns: Vec<(String, String)> = sql_query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .load::<Column>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|c| (c.table_name, c.column_name))
    .collect();
    for (table, wanted) in SEED_COLUMNS {
        for column in *wanted {
            assert!(
                columns.contains(&(table.to_string(), column.to_string())),
                "{table}.{column} is missing"
            );
        }
    }
    for table in tables(&mut conn) {
        // Running counts and kept sums are derived by triggers, not records anyone edits; the
        // history is written once and never updated (its time is `changed_at`).
        if [
            "student_counts",
            "enrollment_counts",
            "outstanding_by_due",
            "money_by_month",
            "history",
        ]
        .contains(&table.as_str())
        {
            continue;
        }
        for stamp in ["created_at", "updated_at"] {
            assert!(
                columns.contains(&(table.clone(), stamp.to_string())),
                "{table}.{stamp} is missing"
            );
        }
    }
    let enrollment_user = columns.contains(&("course_enrollments".into(), "user_id".into()));
    assert!(
        !enrollment_user,
        "enrollments reference students, not users (docs/decisions.md)"
    );
}

/// Rows for the database-level rules: a course offering one configuration and a facility, in Swimming.
fn priced_course(conn: &mut PgConnection) -> (String, String) {
    #[derive(QueryableByName)]
    struct Ids {
        #[diesel(sql_type = Text)]
        course: String,
        #[diesel(sql_type = Text)]
        facility: String,
    }
    let ids = sql_query(
        "WITH p AS (SELECT id FROM programs WHERE name = 'Swimming'),
              c AS (INSERT INTO courses (program_id, name) SELECT id, 'Schema test course' FROM p RETURNING id, program_id),
              a AS (INSERT INTO course_age_groups (course_id, program_id, age_group) SELECT id, program_id, '6-8' FROM c),
              l AS (INSERT INTO course_location_types (course_id, program_id, location_type) SELECT id, program_id, 'our-facility' FROM c),
              s AS (INSERT INTO course_session_types (course_id, program_id, session_type) SELECT id, program_id, 'group' FROM c),
              f AS (INSERT INTO facilities (program_id, name, facility_type, capacity) SELECT id, 'Schema pool', 'pool', 20 FROM p RETURNING id)
         SELECT c.id::text AS course, f.id::text AS facility FROM c, f",
    )
    .get_result::<Ids>(conn)
    .unwrap();
    (ids.course, ids.facility)
}

fn insert_price(
    conn: &mut PgConnection,
    course: &str,
    facility: &str,
    program: &str,
) -> QueryResult<usize> {
    sql_query(format!(
        "INSERT INTO facility_course_pricing (facility_id, course_id, program_id, age_group, location_type, session_type, price)
         SELECT '{facility}', '{course}', id, '6-8', 'our-facility', 'group', 15000 FROM programs WHERE name = '{program}'"
    ))
    .execute(conn)
}

#[test]
fn a_second_active_price_for_one_combination_is_refused_by_the_database() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let (course, facility) = priced_course(&mut conn);
    assert_eq!(
        insert_price(&mut conn, &course, &facility, "Swimming").unwrap(),
        1
    );
    let second = insert_price(&mut conn, &course, &facility, "Swimming").unwrap_err();
    assert!(
        second
            .to_string()
            .contains("facility_course_pricing_active_key"),
        "{second}"
    );
    // Ended prices are history and may repeat.
    sql_query("UPDATE facility_course_pricing SET is_active = false, end_date = effective_date")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        insert_price(&mut conn, &course, &facility, "Swimming").unwrap(),
        1
    );
}

#[test]
fn a_row_cannot_point_to_a_parent_of_another_program() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let (course, facility) = priced_course(&mut conn);
    let crossed = insert_price(&mut conn, &course, &facility, "Football").unwrap_err();
    assert!(crossed.to_string().contains("foreign key"), "{crossed}");
    let curriculum = sql_query(format!(
        "INSERT INTO curricula (program_id, course_id, name, sequence_order)
         SELECT id, '{course}', 'Crossed', 1 FROM programs WHERE name = 'Football'"
    ))
    .execute(&mut conn)
    .unwrap_err();
    assert!(
        curriculum.to_string().contains("foreign key"),
        "{curriculum}"
    );
}

#[test]
fn updating_a_row_moves_its_updated_at() {
    let db = TestDb::new();
    let mut conn = db.connect();
    #[derive(QueryableByName)]
    struct Stamp {
        #[diesel(sql_type = Text)]
        at: String,
    }
    let read = |conn: &mut PgConnection| {
        sql_query("SELECT updated_at::text AS at FROM programs WHERE name = 'Swimming'")
            .get_result::<Stamp>(conn)
            .unwrap()
            .at
    };
    let before = read(&mut conn);
    sql_query("UPDATE programs SET description = 'Changed' WHERE name = 'Swimming'")
        .execute(&mut conn)
        .unwrap();
    let after = read(&mut conn);
    assert_ne!(before, after);
    assert!(after > before, "{after} is later than {before}");
}

#[test]
fn emails_and_usernames_are_unique_whatever_their_case() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let insert = |conn: &mut PgConnection, username: &str, email: &str| {
        sql_query(format!(
            "INSERT INTO users (username, email, password_hash, role) VALUES ('{username}', '{email}', 'x', 'tutor')"
        ))
        .execute(conn)
    };
    insert(&mut conn, "new.tutor", "New.Tutor@Example.com").unwrap();
    assert!(insert(&mut conn, "other.tutor", "new.tutor@example.COM").is_err());
    assert!(insert(&mut conn, "NEW.TUTOR", "someone@example.com").is_err());
}

#[test]
fn enrollments_are_never_deleted_by_a_cascade() {
    let db = TestDb::new();
    let mut conn = db.connect();
    #[derive(QueryableByName)]
    struct Rule {
        #[diesel(sql_type = Text)]
        rule: String,
    }
    let rules = sql_query(
        "SELECT confdeltype::text AS rule FROM pg_constraint
         WHERE conrelid = 'course_enrollments'::regclass AND contype = 'f' AND confrelid <> 'users'::regclass",
    )
    .load::<Rule>(&mut conn)
    .unwrap();
    assert!(!rules.is_empty());
    assert!(
        rules.iter().all(|r| r.rule != "c"),
        "no ON DELETE CASCADE into course_enrollments"
    );
}
