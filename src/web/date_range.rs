//! A named run of days, as a form: a closure ("Christmas break", 22 Dec to 5 Jan) and a billing
//! term ("Spring 2027") are both a name and a first and last day, kept as typed.

use chrono::NaiveDate;
use serde::Deserialize;

use super::form::{required, FieldErrors};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DateRangeForm {
    pub name: String,
    pub start_date: String,
    pub end_date: String,
}

/// A checked `DateRangeForm`: the last day is on or after the first, at most a year later.
#[derive(Debug, Clone)]
pub struct DateRange {
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// Whether an empty last day means "the first day only" (a one-day closure) or is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastDay {
    MayBeEmpty,
    Required,
}

impl DateRangeForm {
    /// `what` names the range in the refusals ("A closure", "A term").
    pub fn validate(&self, last_day: LastDay, what: &str) -> Result<DateRange, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = required(&self.name, 160)
            .map_err(|e| errors.add("name", e))
            .ok();
        let start_date = date(&mut errors, "start_date", &self.start_date);
        let end_date = if self.end_date.trim().is_empty() && last_day == LastDay::MayBeEmpty {
            start_date
        } else {
            date(&mut errors, "end_date", &self.end_date)
        };
        if let (Some(start), Some(end)) = (start_date, end_date) {
            if end < start {
                errors.add("end_date", "The last day comes on or after the first.");
            } else if (end - start).num_days() > 366 {
                errors.add("end_date", format!("{what} lasts at most a year."));
            }
        }
        match (name, start_date, end_date) {
            (Some(name), Some(start_date), Some(end_date)) if errors.is_empty() => Ok(DateRange {
                name,
                start_date,
                end_date,
            }),
            _ => Err(errors),
        }
    }
}

fn date(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| errors.add(field, "Enter a date, e.g. 2026-12-22."))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(start: &str, end: &str) -> DateRangeForm {
        DateRangeForm {
            name: "Spring 2027".into(),
            start_date: start.into(),
            end_date: end.into(),
        }
    }

    #[test]
    fn an_empty_last_day_is_the_first_day_only_where_allowed() {
        let one_day = form("2026-12-25", "").validate(LastDay::MayBeEmpty, "A closure");
        assert_eq!(one_day.unwrap().end_date, one_day_date());
        let refused = form("2026-12-25", "").validate(LastDay::Required, "A term");
        assert!(refused.unwrap_err().has("end_date"));
    }

    #[test]
    fn a_range_runs_forward_and_at_most_a_year() {
        let backwards = form("2027-01-10", "2027-01-09").validate(LastDay::Required, "A term");
        assert_eq!(
            backwards.unwrap_err().get("end_date"),
            "The last day comes on or after the first."
        );
        let long = form("2027-01-01", "2028-01-03").validate(LastDay::Required, "A term");
        assert_eq!(
            long.unwrap_err().get("end_date"),
            "A term lasts at most a year."
        );
    }

    fn one_day_date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()
    }
}
