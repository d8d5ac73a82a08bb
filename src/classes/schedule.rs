//! A class's weekly pattern and the dated sessions it gives between two dates, closures skipped.
//! Pure: times are the academy's wall-clock times, turned into instants in its time zone, so a
//! class at 09:00 stays at 09:00 whatever the date.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// One weekly meeting: ISO weekday (1 = Monday), local start time, length in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meeting {
    pub weekday: i16,
    pub start_time: NaiveTime,
    pub duration_minutes: i32,
}

impl Meeting {
    /// "Sat 09:00".
    pub fn short(&self) -> String {
        format!(
            "{} {}",
            weekday_short(self.weekday),
            self.start_time.format("%H:%M")
        )
    }

    /// "Saturday 09:00-10:00".
    pub fn long(&self) -> String {
        let end = self.start_time + Duration::minutes(i64::from(self.duration_minutes));
        format!(
            "{} {}-{}",
            weekday_name(self.weekday),
            self.start_time.format("%H:%M"),
            end.format("%H:%M")
        )
    }
}

/// Days a program does not teach, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// A session's place in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

pub const WEEKDAYS: [(i16, &str); 7] = [
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
];

pub fn weekday_name(weekday: i16) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(n, _)| *n == weekday)
        .map_or("?", |(_, name)| name)
}

pub fn weekday_short(weekday: i16) -> &'static str {
    &weekday_name(weekday)[..3.min(weekday_name(weekday).len())]
}

/// The instant a wall-clock time of `day` is in `zone`; in a gap (a clock moved forward) the
/// instant after it, so a session is never lost.
pub fn instant(day: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let local = day.and_time(time);
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(at) => at.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => instant(day, time + Duration::hours(1), zone),
    }
}

/// A slot starting at `time` on `day`, `minutes` long.
pub fn slot(day: NaiveDate, time: NaiveTime, minutes: i32, zone: Tz) -> Slot {
    let starts_at = instant(day, time, zone);
    Slot {
        starts_at,
        ends_at: starts_at + Duration::minutes(i64::from(minutes)),
    }
}

/// Every session of the pattern from `from` to `to` (both included) on a day no closure covers,
/// in time order.
pub fn occurrences(
    from: NaiveDate,
    to: NaiveDate,
    meetings: &[Meeting],
    closures: &[Closure],
    zone: Tz,
) -> Vec<Slot> {
    let mut slots = Vec::new();
    let mut day = from;
    while day <= to {
        let closed = closures
            .iter()
            .any(|c| c.start_date <= day && day <= c.end_date);
        if !closed {
            let iso = day.weekday().number_from_monday() as i16;
            for m in meetings.iter().filter(|m| m.weekday == iso) {
                slots.push(slot(day, m.start_time, m.duration_minutes, zone));
            }
        }
        day = match day.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }
    slots.sort();
    slots
}

/// The Monday of the week `day` is in.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn nine() -> NaiveTime {
        NaiveTime::from_hms_opt(9, 0, 0).unwrap()
    }

    #[test]
    fn a_weekly_pattern_gives_each_matching_day_at_the_same_wall_clock_time() {
        let saturday = Meeting {
            weekday: 6,
            start_time: nine(),
            duration_minutes: 45,
        };
        // December 2026: Saturdays 5, 12, 19, 26.
        let slots = occurrences(
            d(2026, 12, 1),
            d(2026, 12, 31),
            &[saturday],
            &[],
            Tz::Africa__Lagos,
        );
        assert_eq!(slots.len(), 4);
        for slot in &slots {
            let local = slot.starts_at.with_timezone(&Tz::Africa__Lagos);
            assert_eq!(local.time(), nine());
            assert_eq!(local.weekday(), Weekday::Sat);
            assert_eq!(slot.ends_at - slot.starts_at, Duration::minutes(45));
        }
    }

    #[test]
    fn closures_are_skipped_with_both_ends_included() {
        let saturday = Meeting {
            weekday: 6,
            start_time: nine(),
            duration_minutes: 60,
        };
        let christmas = Closure {
            start_date: d(2026, 12, 19),
            end_date: d(2026, 12, 26),
        };
        let slots = occurrences(
            d(2026, 12, 1),
            d(2026, 12, 31),
            &[saturday],
            &[christmas],
            Tz::Africa__Lagos,
        );
        let days: Vec<u32> = slots
            .iter()
            .map(|s| s.starts_at.with_timezone(&Tz::Africa__Lagos).day())
            .collect();
        assert_eq!(days, vec![5, 12]);
    }

    #[test]
    fn a_clock_change_keeps_the_wall_clock_time() {
        // London moves to summer time on 29 March 2026: 09:00 stays 09:00 local, an hour earlier in UTC.
        let sunday = Meeting {
            weekday: 7,
            start_time: nine(),
            duration_minutes: 30,
        };
        let slots = occurrences(
            d(2026, 3, 22),
            d(2026, 3, 29),
            &[sunday],
            &[],
            Tz::Europe__London,
        );
        assert_eq!(slots.len(), 2);
        assert_eq!(slots[0].starts_at.format("%H:%M").to_string(), "09:00");
        assert_eq!(slots[1].starts_at.format("%H:%M").to_string(), "08:00");
    }

    #[test]
    fn two_meetings_a_week_come_out_in_time_order() {
        let pattern = [
            Meeting {
                weekday: 6,
                start_time: nine(),
                duration_minutes: 60,
            },
            Meeting {
                weekday: 2,
                start_time: NaiveTime::from_hms_opt(16, 30, 0).unwrap(),
                duration_minutes: 60,
            },
        ];
        let slots = occurrences(
            d(2026, 12, 1),
            d(2026, 12, 12),
            &pattern,
            &[],
            Tz::Africa__Lagos,
        );
        let days: Vec<u32> = slots.iter().map(|s| s.starts_at.day()).collect();
        assert_eq!(days, vec![1, 5, 8, 12]);
        assert_eq!(monday_of(d(2026, 12, 6)), d(2026, 11, 30));
        assert_eq!(pattern[1].short(), "Tue 16:30");
        assert_eq!(pattern[0].long(), "Saturday 09:00-10:00");
    }
}
