//! About sixty students per active demo program, with Nigerian names, deterministic so that
//! running the seed again adds nothing.

use chrono::{Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use serde_json::json;
use uuid::Uuid;

use crate::{
    error::AppError,
    schema::across_programs::students,
    students::{next_student_code, StudentStatus},
};

const FIRST_NAMES: &[&str] = &[
    "Adaeze",
    "Chinedu",
    "Oluwaseun",
    "Aisha",
    "Emeka",
    "Ngozi",
    "Tunde",
    "Fatima",
    "Ifeanyi",
    "Yetunde",
    "Babajide",
    "Chiamaka",
    "Ibrahim",
    "Funmilayo",
    "Obinna",
    "Zainab",
    "Segun",
    "Amaka",
    "Musa",
    "Temitope",
];
const LAST_NAMES: &[&str] = &[
    "Okafor", "Adeyemi", "Bello", "Eze", "Olawale", "Nwosu", "Abubakar", "Ogunleye", "Okonkwo",
    "Danjuma", "Afolabi", "Uchenna", "Lawal", "Ibe", "Adebayo",
];
const CITIES: &[(&str, &str)] = &[
    ("Lagos", "Lagos"),
    ("Ikeja", "Lagos"),
    ("Abuja", "FCT"),
    ("Ibadan", "Oyo"),
    ("Enugu", "Enugu"),
];
pub const PER_PROGRAM: usize = 60;

/// Adds the demo students a program lacks (it has fewer than `PER_PROGRAM`).
pub fn seed(conn: &mut PgConnection, program_id: Uuid, offset: usize) -> Result<(), AppError> {
    let existing: i64 = students::table
        .filter(students::program_id.eq(program_id))
        .count()
        .get_result(conn)?;
    let year = Utc::now().year();
    // The last student added and their parent: every tenth student is their younger sibling,
    // with the same surname and the same parent (a guardian shared by siblings).
    let mut previous: Option<(&str, Uuid)> = None;
    for i in (existing as usize)..PER_PROGRAM {
        let n = i + offset;
        let first = FIRST_NAMES[n % FIRST_NAMES.len()];
        let sibling_of = previous.filter(|_| n % 10 == 9);
        let last = sibling_of.map_or(LAST_NAMES[(n * 7 + 3) % LAST_NAMES.len()], |(last, _)| last);
        let (city, state) = CITIES[n % CITIES.len()];
        // Ages 6 to 40, spread over the age groups.
        let born = NaiveDate::from_ymd_opt(
            year - 6 - (n % 35) as i32,
            (n % 12) as u32 + 1,
            (n % 27) as u32 + 1,
        )
        .unwrap();
        let status = match n % 20 {
            0 => StudentStatus::Inactive,
            1 => StudentStatus::Graduated,
            2 => StudentStatus::Withdrawn,
            _ => StudentStatus::Active,
        };
        let code = next_student_code(conn, year)?;
        let student = diesel::insert_into(students::table)
            .values((
                students::program_id.eq(program_id),
                students::student_id.eq(code),
                students::first_name.eq(first),
                students::last_name.eq(last),
                students::email.eq(format!("{}.{}{}@example.ng", first.to_lowercase(), last.to_lowercase(), n)),
                students::phone.eq(format!("+234 80{} {:03} {:04}", n % 10, (n * 37) % 1000, (n * 7919) % 10000)),
                students::date_of_birth.eq(born),
                students::enrollment_date.eq(NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + chrono::Days::new((n * 5 % 300) as u64)),
                students::status.eq(status),
                students::address.eq(json!({"line1": format!("{} Adeola Odeku Street", 3 + n % 90), "line2": "", "city": city, "state": state, "country": "Nigeria"})),
                students::medical_info.eq(json!({"conditions": if n % 9 == 0 { "Asthma" } else { "" }, "medications": "", "allergies": if n % 11 == 0 { "Peanuts" } else { "" }})),
            ))
            .returning(students::id)
            .get_result::<Uuid>(conn)?;
        let parent = match sibling_of {
            Some((_, parent)) => {
                link(conn, program_id, student, parent)?;
                parent
            }
            None => guardian(conn, program_id, student, n, last)?,
        };
        previous = Some((last, parent));
    }
    Ok(())
}

/// Each demo student's parent: their emergency contact, who may pick them up and pays the fees.
fn guardian(
    conn: &mut PgConnection,
    program_id: Uuid,
    student: Uuid,
    n: usize,
    last: &str,
) -> QueryResult<Uuid> {
    use crate::schema::across_programs::guardians as g;
    let first = FIRST_NAMES[(n + 5) % FIRST_NAMES.len()];
    let id: Uuid = diesel::insert_into(g::table)
        .values((
            g::program_id.eq(program_id),
            g::full_name.eq(format!("{first} {last}")),
            g::relationship.eq("Parent"),
            g::phone.eq(format!("+234 81{} 555 {:04}", n % 10, n)),
            g::email.eq(format!(
                "{}.{}.parent{n}@example.ng",
                first.to_lowercase(),
                last.to_lowercase()
            )),
        ))
        .returning(g::id)
        .get_result(conn)?;
    link(conn, program_id, student, id)?;
    Ok(id)
}

/// Links a demo student to their parent: the emergency contact, who may pick them up and pays.
fn link(conn: &mut PgConnection, program_id: Uuid, student: Uuid, parent: Uuid) -> QueryResult<()> {
    use crate::schema::across_programs::student_guardians as l;
    diesel::insert_into(l::table)
        .values((
            l::program_id.eq(program_id),
            l::student_id.eq(student),
            l::guardian_id.eq(parent),
            l::emergency_contact.eq(true),
            l::may_pick_up.eq(true),
            l::pays_fees.eq(true),
        ))
        .execute(conn)
        .map(|_| ())
}
