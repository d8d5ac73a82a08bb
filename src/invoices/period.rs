//! The billing period an invoice run bills: a calendar month, or one of the program's terms.

use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use uuid::Uuid;

use crate::billing::{BillingPeriod, BillingTerm};

/// First and last day of the period, and its name on the invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub name: String,
}

impl Window {
    /// The calendar month that holds `day`: "December 2026".
    pub fn month_of(day: NaiveDate) -> Window {
        let start = day.with_day(1).expect("the first of a month");
        let end = start + Months::new(1) - chrono::Days::new(1);
        Window {
            start,
            end,
            name: start.format("%B %Y").to_string(),
        }
    }

    pub fn of_term(term: &BillingTerm) -> Window {
        Window {
            start: term.start_date,
            end: term.end_date,
            name: term.name.clone(),
        }
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

/// The period as the generation form names it: `month=2026-12`, or `term_id=...`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PeriodChoice {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub term_id: String,
}

impl PeriodChoice {
    /// The window chosen, for a program billing by `period` with `terms`; a message for the
    /// field otherwise.
    pub fn window(
        &self,
        period: BillingPeriod,
        terms: &[BillingTerm],
    ) -> Result<Window, (&'static str, String)> {
        match period {
            BillingPeriod::Month => {
                let day =
                    NaiveDate::parse_from_str(&format!("{}-01", self.month.trim()), "%Y-%m-%d")
                        .map_err(|_| ("month", "Choose a month, e.g. 2026-12.".to_string()))?;
                Ok(Window::month_of(day))
            }
            BillingPeriod::Term => {
                let id: Option<Uuid> = self.term_id.trim().parse().ok();
                terms
                    .iter()
                    .find(|t| Some(t.id) == id)
                    .map(Window::of_term)
                    .ok_or(("term_id", "Choose one of the program's terms.".to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_its_first_to_its_last_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let feb = Window::month_of(day(2028, 2, 17));
        assert_eq!((feb.start, feb.end), (day(2028, 2, 1), day(2028, 2, 29)));
        assert_eq!(feb.name, "February 2028");
        assert_eq!(Window::month_of(day(2026, 12, 31)).end, day(2026, 12, 31));
        let choice = PeriodChoice {
            month: "2026-13".into(),
            term_id: String::new(),
        };
        assert_eq!(
            choice.window(BillingPeriod::Month, &[]).unwrap_err().0,
            "month"
        );
    }
}
