//! Dates as spreadsheets write them. A sheet kept in Nigeria writes 24/03/2015 (day first), and
//! saving it as CSV keeps that text; the forms take 2015-03-24. An import reads both, day first,
//! and shows the date it read as 2015-03-24, so the preview says what will be saved.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::web::form::FieldErrors;

/// The fields an import reads as dates.
pub const DATE_FIELDS: &[&str] = &["date_of_birth", "enrollment_date"];

/// Beside a date an import cannot read: both ways it reads one (the form's own message names
/// only the first).
pub const UNREADABLE: &str = "Enter a date like 2015-03-24, or day first like 24/03/2015.";

/// The row's date fields that hold something that is not a date, each with `UNREADABLE`.
pub fn unreadable(values: &BTreeMap<&'static str, String>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for field in DATE_FIELDS {
        let value = values.get(field).map_or("", String::as_str);
        if !value.is_empty() && value.parse::<NaiveDate>().is_err() {
            errors.add(field, UNREADABLE);
        }
    }
    errors
}

/// `raw` as 2015-03-24 when it is a day-first date (24/03/2015, 24-03-2015, 24.3.2015; four-digit
/// year); anything else unchanged, for the form to accept (2015-03-24) or refuse beside the field.
pub fn as_iso(raw: &str) -> String {
    day_first(raw).map_or_else(|| raw.to_string(), |d| d.to_string())
}

fn day_first(raw: &str) -> Option<NaiveDate> {
    let separator = ['/', '-', '.'].into_iter().find(|s| raw.contains(*s))?;
    let parts: Vec<&str> = raw.split(separator).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !short(day) || !short(month) || year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::as_iso;

    #[test]
    fn a_day_first_date_reads_as_iso_with_any_common_separator() {
        assert_eq!(as_iso("24/03/2015"), "2015-03-24");
        assert_eq!(as_iso("4/3/2015"), "2015-03-04");
        assert_eq!(as_iso("24-03-2015"), "2015-03-24");
        assert_eq!(as_iso("24.03.2015"), "2015-03-24");
    }

    #[test]
    fn anything_else_is_left_for_the_form_to_judge() {
        // Already ISO: unchanged (and read by the form).
        assert_eq!(as_iso("2015-03-24"), "2015-03-24");
        // Month first cannot be a day-first date: the form refuses it beside the field.
        assert_eq!(as_iso("03/24/2015"), "03/24/2015");
        assert_eq!(as_iso("31/02/2015"), "31/02/2015");
        assert_eq!(as_iso("24/03/15"), "24/03/15");
        assert_eq!(as_iso("next week"), "next week");
        assert_eq!(as_iso(""), "");
    }
}
