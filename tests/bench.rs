//! The benchmark's data generator, at a small size: right counts, every enrollment priced.

use academy_admin::db;
use academy_admin_bench as bench;
use diesel::prelude::*;

use crate::support::TestDb;

#[test]
fn bench_seed_generates_a_consistent_academy_of_the_asked_size() {
    let database = TestDb::empty();
    let mut conn = database.connect();
    db::migrate(&mut conn).unwrap();
    let sizes = bench::Sizes {
        programs: 2,
        facilities: 4,
        courses: 6,
        students: 300,
        enrollments: 800,
    };
    let mut log = Vec::new();
    bench::seed(&mut conn, &sizes, |line| log.push(line.to_string())).unwrap();
    let count = |conn: &mut PgConnection, table: &str| -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result::<N>(conn)
            .unwrap()
            .n
    };
    assert_eq!(count(&mut conn, "programs"), 2);
    assert_eq!(count(&mut conn, "facilities"), 4);
    assert_eq!(count(&mut conn, "courses"), 6);
    assert_eq!(count(&mut conn, "lessons"), 6 * 2 * 3 * 4);
    assert_eq!(
        count(&mut conn, "facility_course_pricing"),
        2 * 2 * 3 * 24,
        "full matrices"
    );
    assert_eq!(count(&mut conn, "students"), 300);
    assert_eq!(count(&mut conn, "course_enrollments"), 800);
    assert_eq!(bench::unpriced_enrollments(&mut conn).unwrap(), 0);
    assert!(log.iter().any(|l| l.starts_with("done in")));
    // A second run refuses instead of doubling the data.
    assert!(bench::seed(&mut conn, &sizes, |_| {}).is_err());

    // A month's invoice run of a generated program, through the app's own run, then payments.
    let zone = chrono_tz::Africa::Lagos;
    let month = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let mut progress = Vec::new();
    let figures = bench::invoice_run(&mut conn, "Bench 001", month, zone, |l| {
        progress.push(l.to_string())
    })
    .unwrap();
    assert!(figures.invoices > 0 && figures.lines >= figures.invoices);
    assert_eq!(count(&mut conn, "invoices"), figures.invoices as i64);
    assert!(
        progress.iter().any(|l| l.contains("Writing invoices")),
        "{progress:?}"
    );
    bench::pay_share(&mut conn, "Bench 001", month).unwrap();
    let paid = count(&mut conn, "payments");
    assert!(
        paid > 0 && paid < figures.invoices as i64,
        "a share pays: {paid}"
    );
    assert_eq!(
        count(&mut conn, "payments"),
        count(&mut conn, "payment_allocations")
    );
    assert!(
        bench::invoice_run(&mut conn, "Bench 001", month, zone, |_| {}).is_err(),
        "the month is billed already"
    );

    // A generated CSV import through the app's own steps: every row new, siblings share.
    let students = count(&mut conn, "students");
    let file = bench::import_file(50, "Tst");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let imported = bench::import(&mut conn, "Bench 001", &file, today).unwrap();
    assert_eq!(imported.created, 50);
    assert_eq!(
        imported.guardians, 45,
        "every tenth shares the guardian before"
    );
    assert_eq!(count(&mut conn, "students"), students + 50);
}
