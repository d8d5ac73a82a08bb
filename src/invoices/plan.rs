//! What an invoice run would bill for a period: one invoice per student, one line per enrollment
//! not yet billed for the period, and what is skipped and why. The preview shows it; the run
//! computes it again inside its transaction and saves exactly that.
//!
//! The rule (docs/decisions.md, "Fees"): an enrollment running during the period pays its fee
//! after discount. One that starts or ends inside the period pays the share of its class's
//! sessions in the period (not cancelled) that fall between its first and last day; without a
//! class, or with no session in the period, the share of days. Each line is rounded half-up to
//! the kobo once.

use std::collections::HashMap;

use bigdecimal::{BigDecimal, RoundingMode};
use chrono::NaiveDate;
use diesel::{dsl::exists, prelude::*};
use uuid::Uuid;

use super::period::Window;
use crate::{
    access::ProgramScope,
    classes::{self, SessionStatus},
    db::functions::net_fee,
    enrollments::EnrollmentStatus,
    error::AppResult,
    schema::{
        class_sessions, course_enrollments as e, courses, facilities, invoice_lines, students,
    },
};

pub struct PlannedLine {
    /// The enrollment whose fee it bills, or the one-off charge it bills.
    pub enrollment_id: Option<Uuid>,
    pub charge_id: Option<Uuid>,
    pub description: String,
    pub share_note: String,
    pub amount: BigDecimal,
}

pub struct PlannedInvoice {
    pub student_id: Uuid,
    pub student_code: String,
    pub student_name: String,
    pub lines: Vec<PlannedLine>,
}

impl PlannedInvoice {
    pub fn total(&self) -> BigDecimal {
        self.lines.iter().map(|l| &l.amount).sum()
    }
}

pub struct Skipped {
    pub student_name: String,
    pub course: String,
    pub reason: &'static str,
}

pub struct Plan {
    pub window: Window,
    pub invoices: Vec<PlannedInvoice>,
    pub skipped: Vec<Skipped>,
    /// Enrollments already billed for this period (by an earlier run).
    pub already_billed: i64,
}

impl Plan {
    pub fn lines(&self) -> usize {
        self.invoices.iter().map(|i| i.lines.len()).sum()
    }
    pub fn total(&self) -> BigDecimal {
        self.invoices.iter().map(|i| i.total()).sum()
    }
}

/// An enrollment that may be billed for the window, as read.
struct Candidate {
    id: Uuid,
    student_id: Uuid,
    course_id: Uuid,
    facility_id: Uuid,
    class_id: Option<Uuid>,
    status: EnrollmentStatus,
    first_day: NaiveDate,
    last_day: Option<NaiveDate>,
    fee: BigDecimal,
}

pub fn plan(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    window: Window,
    zone: chrono_tz::Tz,
) -> AppResult<Plan> {
    let billed = scope
        .invoice_lines()
        .filter(invoice_lines::enrollment_id.eq(e::id.nullable()))
        .filter(invoice_lines::period_start.eq(window.start))
        .filter(invoice_lines::voided.eq(false));
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        Uuid,
        Uuid,
        Uuid,
        Uuid,
        Option<Uuid>,
        EnrollmentStatus,
        NaiveDate,
        Option<NaiveDate>,
        BigDecimal,
        bool,
    )> = scope
        .course_enrollments()
        .filter(e::enrollment_date.le(window.end))
        .filter(e::status.ne(EnrollmentStatus::Waitlisted))
        .filter(
            e::completion_date
                .is_null()
                .or(e::completion_date.ge(window.start)),
        )
        .order((e::student_id, e::id))
        .select((
            e::id,
            e::student_id,
            e::course_id,
            e::facility_id,
            e::class_id,
            e::status,
            e::enrollment_date,
            e::completion_date,
            net_fee(e::agreed_fee, e::discount_kind, e::discount_value),
            exists(billed),
        ))
        .load(conn)?;
    let already_billed = rows.iter().filter(|r| r.9).count() as i64;
    let candidates: Vec<Candidate> = rows
        .into_iter()
        .filter(|r| !r.9)
        .map(|r| Candidate {
            id: r.0,
            student_id: r.1,
            course_id: r.2,
            facility_id: r.3,
            class_id: r.4,
            status: r.5,
            first_day: r.6,
            last_day: r.7,
            fee: r.8,
        })
        .collect();
    let charges = crate::charges::pending(conn, scope, None, Some(window.end))?;
    let student_ids: Vec<Uuid> = candidates
        .iter()
        .map(|c| c.student_id)
        .chain(charges.iter().map(|c| c.student_id))
        .collect();
    let names = Names::load(conn, scope, &student_ids)?;
    let sessions = session_days(conn, scope, &candidates, &window, zone)?;
    let mut invoices: Vec<PlannedInvoice> = Vec::new();
    let mut skipped = Vec::new();
    for c in candidates {
        let (code, student) = names.student(c.student_id);
        let course = names.course(c.course_id);
        let reason = match c.status {
            EnrollmentStatus::Paused => Some("Paused during the run: not billed"),
            _ if c.fee == BigDecimal::from(0) => Some("Free place: nothing to bill"),
            _ => None,
        };
        if let Some(reason) = reason {
            skipped.push(Skipped {
                student_name: student,
                course,
                reason,
            });
            continue;
        }
        let (amount, share_note) =
            amount(&c, &window, sessions.get(&c.class_id.unwrap_or_default()));
        if amount == BigDecimal::from(0) {
            skipped.push(Skipped {
                student_name: student,
                course,
                reason: "No session of the period falls in its days: nothing to bill",
            });
            continue;
        }
        let line = PlannedLine {
            enrollment_id: Some(c.id),
            charge_id: None,
            description: format!(
                "{course} at {}, {}",
                names.facility(c.facility_id),
                window.name
            ),
            share_note,
            amount,
        };
        match invoices.last_mut() {
            Some(last) if last.student_id == c.student_id => last.lines.push(line),
            _ => invoices.push(PlannedInvoice {
                student_id: c.student_id,
                student_code: code,
                student_name: student,
                lines: vec![line],
            }),
        }
    }
    add_charges(&mut invoices, charges, &names);
    invoices.sort_by(|a, b| {
        a.student_name
            .to_lowercase()
            .cmp(&b.student_name.to_lowercase())
    });
    Ok(Plan {
        window,
        invoices,
        skipped,
        already_billed,
    })
}

/// Each one-off charge as a line of its student's invoice (a new one for a student with only
/// charges).
fn add_charges(
    invoices: &mut Vec<PlannedInvoice>,
    charges: Vec<crate::charges::Charge>,
    names: &Names,
) {
    let mut at: HashMap<Uuid, usize> = invoices
        .iter()
        .enumerate()
        .map(|(n, inv)| (inv.student_id, n))
        .collect();
    for charge in charges {
        let n = *at.entry(charge.student_id).or_insert_with(|| {
            let (code, name) = names.student(charge.student_id);
            invoices.push(PlannedInvoice {
                student_id: charge.student_id,
                student_code: code,
                student_name: name,
                lines: Vec::new(),
            });
            invoices.len() - 1
        });
        invoices[n].lines.push(PlannedLine {
            enrollment_id: None,
            charge_id: Some(charge.id),
            description: charge.description,
            share_note: String::new(),
            amount: charge.amount,
        });
    }
}

/// The line's amount and how it was reached: the whole fee, or its share of the sessions (or of
/// the days) the enrollment runs in the window, rounded half-up to the kobo once.
fn amount(
    c: &Candidate,
    window: &Window,
    class_days: Option<&Vec<NaiveDate>>,
) -> (BigDecimal, String) {
    let from = c.first_day.max(window.start);
    let to = c.last_day.map_or(window.end, |d| d.min(window.end));
    if from == window.start && to == window.end {
        return (c.fee.clone(), String::new());
    }
    let (part, whole, unit) = match class_days.filter(|days| !days.is_empty()) {
        Some(days) => (
            days.iter().filter(|d| **d >= from && **d <= to).count() as i64,
            days.len() as i64,
            "sessions",
        ),
        None => ((to - from).num_days() + 1, window.days(), "days"),
    };
    let share = (&c.fee * BigDecimal::from(part) / BigDecimal::from(whole))
        .with_scale_round(2, RoundingMode::HalfUp);
    (share, format!("{part} of {whole} {unit}"))
}

/// The days (in the academy's time zone) of each class's sessions in the window, not cancelled.
fn session_days(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    candidates: &[Candidate],
    window: &Window,
    zone: chrono_tz::Tz,
) -> AppResult<HashMap<Uuid, Vec<NaiveDate>>> {
    let classes: Vec<Uuid> = candidates.iter().filter_map(|c| c.class_id).collect();
    if classes.is_empty() {
        return Ok(HashMap::new());
    }
    let midnight = |day: NaiveDate| classes::instant(day, chrono::NaiveTime::MIN, zone);
    let rows: Vec<(Uuid, chrono::DateTime<chrono::Utc>)> = scope
        .class_sessions()
        .filter(class_sessions::class_id.eq_any(&classes))
        .filter(class_sessions::starts_at.ge(midnight(window.start)))
        .filter(class_sessions::starts_at.lt(midnight(window.end + chrono::Days::new(1))))
        .filter(class_sessions::status.ne(SessionStatus::Cancelled))
        .select((class_sessions::class_id, class_sessions::starts_at))
        .load(conn)?;
    let mut days: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
    for (class, at) in rows {
        days.entry(class)
            .or_default()
            .push(at.with_timezone(&zone).date_naive());
    }
    Ok(days)
}

/// The names the lines and the preview show, read once for the whole run.
struct Names {
    students: HashMap<Uuid, (String, String)>,
    courses: HashMap<Uuid, String>,
    facilities: HashMap<Uuid, String>,
}

impl Names {
    fn load(conn: &mut PgConnection, scope: &ProgramScope, ids: &[Uuid]) -> QueryResult<Names> {
        let students = scope
            .students()
            .filter(students::id.eq_any(ids))
            .select((
                students::id,
                students::student_id,
                students::last_name
                    .concat(", ")
                    .concat(students::first_name),
            ))
            .load::<(Uuid, String, String)>(conn)?
            .into_iter()
            .map(|(id, code, name)| (id, (code, name)))
            .collect();
        Ok(Names {
            students,
            courses: scope
                .courses()
                .select((courses::id, courses::name))
                .load::<(Uuid, String)>(conn)?
                .into_iter()
                .collect(),
            facilities: scope
                .facilities()
                .select((facilities::id, facilities::name))
                .load::<(Uuid, String)>(conn)?
                .into_iter()
                .collect(),
        })
    }
    fn student(&self, id: Uuid) -> (String, String) {
        self.students.get(&id).cloned().unwrap_or_default()
    }
    fn course(&self, id: Uuid) -> String {
        self.courses.get(&id).cloned().unwrap_or_default()
    }
    fn facility(&self, id: Uuid) -> String {
        self.facilities.get(&id).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn candidate(first: NaiveDate, last: Option<NaiveDate>, fee: &str) -> Candidate {
        Candidate {
            id: Uuid::nil(),
            student_id: Uuid::nil(),
            course_id: Uuid::nil(),
            facility_id: Uuid::nil(),
            class_id: None,
            status: EnrollmentStatus::Active,
            first_day: first,
            last_day: last,
            fee: fee.parse().unwrap(),
        }
    }

    #[test]
    fn a_whole_period_pays_the_fee_and_a_part_its_share_rounded_once() {
        let december = Window::month_of(day(12, 1));
        let (whole, note) = amount(&candidate(day(11, 3), None, "15000"), &december, None);
        assert_eq!((whole.to_string().as_str(), note.as_str()), ("15000", ""));
        // Joins on the 10th of five weekly sessions (3, 10, 17, 24, 31): 4 of 5.
        let sessions: Vec<NaiveDate> = [3, 10, 17, 24, 31].iter().map(|d| day(12, *d)).collect();
        let (part, note) = amount(
            &candidate(day(12, 10), None, "15000"),
            &december,
            Some(&sessions),
        );
        assert_eq!(
            (part.to_string().as_str(), note.as_str()),
            ("12000.00", "4 of 5 sessions")
        );
        // Without a class: the share of days, 10,000 x 22 / 31 = 7,096.774... -> 7,096.77.
        let (days, note) = amount(&candidate(day(12, 10), None, "10000"), &december, None);
        assert_eq!(
            (days.to_string().as_str(), note.as_str()),
            ("7096.77", "22 of 31 days")
        );
        // Half a kobo rounds up: 0.05 x 1 / 2 = 0.025 -> 0.03.
        let (half, _) = amount(
            &candidate(day(12, 1), Some(day(12, 1)), "0.05"),
            &december,
            Some(&vec![day(12, 1), day(12, 2)]),
        );
        assert_eq!(half.to_string(), "0.03");
    }
}
