//! Who may mark a session, and when: pure, so every edge is tested without a database.

use chrono::{DateTime, Duration, Utc};

/// A tutor may mark from this long before the start...
pub const OPENS_BEFORE: Duration = Duration::minutes(30);
/// ...until this long after the start.
pub const CLOSES_AFTER: Duration = Duration::days(7);

/// Why marking is refused, in words for the person.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Cancelled,
    NotYet,
    TooLate,
}

impl Refusal {
    pub fn message(&self) -> &'static str {
        match self {
            Refusal::Cancelled => "This session was cancelled: it has no attendance.",
            Refusal::NotYet => "Attendance opens 30 minutes before the session starts.",
            Refusal::TooLate => {
                "Attendance closed 7 days after the session: ask a coordinator to change it."
            }
        }
    }
}

/// Whether a mark may be given now: never for a cancelled session; for a tutor (`window_applies`)
/// only between 30 minutes before the start and 7 days after it; for staff at any time.
pub fn may_mark(
    cancelled: bool,
    window_applies: bool,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if cancelled {
        return Err(Refusal::Cancelled);
    }
    if !window_applies {
        return Ok(());
    }
    if now < starts_at - OPENS_BEFORE {
        return Err(Refusal::NotYet);
    }
    if now > starts_at + CLOSES_AFTER {
        return Err(Refusal::TooLate);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, h, m, 0).unwrap()
    }

    #[test]
    fn a_tutor_marks_from_thirty_minutes_before_until_seven_days_after_the_start() {
        let start = at(10, 9, 0);
        assert_eq!(
            may_mark(false, true, start, at(10, 8, 29)),
            Err(Refusal::NotYet)
        );
        assert_eq!(may_mark(false, true, start, at(10, 8, 30)), Ok(()));
        assert_eq!(may_mark(false, true, start, at(17, 9, 0)), Ok(()));
        assert_eq!(
            may_mark(false, true, start, at(17, 9, 1)),
            Err(Refusal::TooLate)
        );
    }

    #[test]
    fn staff_mark_at_any_time_and_nobody_marks_a_cancelled_session() {
        let start = at(10, 9, 0);
        assert_eq!(may_mark(false, false, start, at(1, 0, 0)), Ok(()));
        assert_eq!(may_mark(false, false, start, at(30, 0, 0)), Ok(()));
        assert_eq!(
            may_mark(true, false, start, at(10, 9, 0)),
            Err(Refusal::Cancelled)
        );
        assert_eq!(
            may_mark(true, true, start, at(10, 9, 0)),
            Err(Refusal::Cancelled)
        );
    }
}
