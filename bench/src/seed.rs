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
    // VACUUM as well: it sets the visibility map, so that index-only scans skip the heap, as they
    // do on a database that autovacuum has been looking after.
    step("statistics", conn, "VACUUM (ANALYZE)")?;
    let unpriced = unpriced_enrollments(conn)?;
    if unpriced > 0 {
        return Err(AppError::internal(format!(
            "{unpriced} generated enrollments have no price in force"
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

/// Every offered configuration of every course at every facility of its program, in force since
/// 1 Jan 2025.
const PRICES_SQL: &str = "
    INSERT INTO facility_course_pricing
        (facility_id, course_id, program_id, age_group, location_type, session_type, price, effective_date)
    SELECT f.id, c.id, c.program_id, a.age_group, l.location_type, s.session_type,
           (5000 + 500 * ((abs(hashtext(f.id::text || c.id::text || a.age_group || l.location_type || s.session_type)) % 40)))::numeric(12,2),
           DATE '2025-01-01'
    FROM courses c
    JOIN facilities f ON f.program_id = c.program_id
    JOIN course_age_groups a ON a.course_id = c.id
    JOIN course_location_types l ON l.course_id = c.id
    JOIN course_session_types s ON s.course_id = c.id
    WHERE c.description = 'Generated course';";

/// Names come from a hash of `g` and the status varies with `g / programs`, not `g`: the program
/// is `g % programs`, so anything keyed on `g` modulo a divisor of it would be the same for every
/// student of a program (with 20 programs, all of "Bench 001" were inactive and named Adaeze).
fn students_sql(s: &Sizes) -> String {
    format!(
        "CREATE TEMP TABLE bench_programs AS
           SELECT row_number() OVER (ORDER BY name) - 1 AS idx, id FROM programs WHERE name LIKE '{PREFIX}%';
         INSERT INTO students (program_id, student_id, first_name, last_name, email, phone, date_of_birth,
                               enrollment_date, status, address, emergency_contact, medical_info)
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
                jsonb_build_object('name', 'Parent ' || g, 'relation', 'Parent', 'phone', '+234 81' || (g % 10) || ' 555 0000'),
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
         -- Every row is priced by construction (checked afterwards), so the per-row trigger can rest.
         ALTER TABLE course_enrollments DISABLE TRIGGER course_enrollments_price_in_force;
         INSERT INTO course_enrollments (student_id, course_id, program_id, facility_id, age_group, location_type,
                                         session_type, status, enrollment_date, completion_date, progress_percentage,
                                         credits_awarded, assignment_type)
         SELECT st.id, c.id, st.program_id, f.id,
                (ARRAY['6-8','9-12','13-17','18+'])[1 + st.h % 4],
                (ARRAY['our-facility','client-location'])[1 + (st.h + k) % 2],
                (ARRAY['private','group','school-group'])[1 + k % 3],
                (CASE WHEN (st.h + k) % 10 = 0 THEN 'paused' WHEN (st.h + k) % 10 = 1 THEN 'completed'
                      WHEN (st.h + k) % 10 = 2 THEN 'withdrawn' ELSE 'active' END)::enrollment_status,
                DATE '2025-06-01' + ((st.h + k) % 500)::int,
                CASE WHEN (st.h + k) % 10 IN (1, 2) THEN DATE '2025-06-01' + ((st.h + k) % 500)::int + 30 END,
                ((st.h * 11 + k) % 100)::int, ((st.h + k) % 5)::int, 'direct'
         FROM bench_students st
         CROSS JOIN generate_series(0, {last_k}) k
         JOIN bench_courses c ON c.program_id = st.program_id AND c.idx = (st.h * 7 + k) % {courses}
         JOIN bench_facilities f ON f.program_id = st.program_id AND f.idx = (st.h + k) % {facilities}
         LIMIT {limit};
         ALTER TABLE course_enrollments ENABLE TRIGGER course_enrollments_price_in_force;",
        last_k = per_student - 1,
        limit = s.enrollments,
        programs = s.programs,
    )
}

/// Enrollments whose configuration has no price in force on their enrollment date (must be 0).
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
              AND p.effective_date <= e.enrollment_date AND (p.end_date IS NULL OR p.end_date > e.enrollment_date))",
    )
    .get_result::<Count>(conn)
    .map(|c| c.n)
}
