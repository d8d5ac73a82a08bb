//! How the app writes money, dates and times (docs/decisions.md, "Everyday expectations").

use std::fmt;

use askama::filters::HtmlSafe;
use bigdecimal::{BigDecimal, RoundingMode, Signed, ToPrimitive};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// `₦15,000.00`: naira, thousands separated, always two decimals.
pub fn money(amount: &BigDecimal) -> String {
    Money(kobo(amount)).to_string()
}

/// An amount in kobo (hundredths of a naira), written as `money` writes it, straight into the
/// page: a pricing matrix writes hundreds of prices per page, and each stored price is a whole
/// number of kobo (`numeric(12,2)`), which the database hands over as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money(pub i64);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let kobo = self.0.unsigned_abs();
        write!(f, "{sign}₦{}.{:02}", Grouped(kobo / 100), kobo % 100)
    }
}

// Digits, commas, a period, `-` and `₦`: nothing HTML would read as markup.
impl HtmlSafe for Money {}

/// An amount in kobo written as `Money`, or nothing where there is none (an empty price cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneyOrBlank(pub Option<i64>);

impl fmt::Display for MoneyOrBlank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(kobo) => Money(kobo).fmt(f),
            None => Ok(()),
        }
    }
}

impl HtmlSafe for MoneyOrBlank {}

/// The amount in whole kobo, rounded half to even where it has more than two decimals.
pub fn kobo(amount: &BigDecimal) -> i64 {
    whole_kobo(amount).unwrap_or_else(|| rounded_kobo(amount))
}

/// The amount in kobo when it has at most two decimals and fits an `i64`, as every stored price
/// does: integer arithmetic, where rounding a BigDecimal allocates and divides big integers.
fn whole_kobo(amount: &BigDecimal) -> Option<i64> {
    let (digits, scale) = amount.as_bigint_and_scale();
    let shift = 2i64.checked_sub(scale).filter(|s| (0..=16).contains(s))?;
    digits.to_i64()?.checked_mul(10i64.pow(shift as u32))
}

/// Any other amount, rounded half to even to whole kobo (saturating beyond an `i64` of kobo).
fn rounded_kobo(amount: &BigDecimal) -> i64 {
    let (kobo, _) = amount
        .with_scale_round(2, RoundingMode::HalfEven)
        .into_bigint_and_exponent();
    kobo.to_i64().unwrap_or(if kobo.is_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// A whole number with a comma between each group of three digits: `1,234,567`.
struct Grouped(u64);

impl fmt::Display for Grouped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 1000 {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{},{:03}", Grouped(self.0 / 1000), self.0 % 1000)
        }
    }
}

/// `24 Nov 2026`.
/// "1 lesson", "2 lessons", "0 lessons".
pub fn plural<N: Copy + fmt::Display + TryInto<i64>>(n: N, one: &str, many: &str) -> String {
    let single = n.try_into().ok() == Some(1);
    format!("{n} {}", if single { one } else { many })
}

/// "a", "a and b", "a, b and c"; `None` for no parts.
pub fn and_list(parts: &[String]) -> Option<String> {
    match parts.split_last() {
        None => None,
        Some((last, [])) => Some(last.clone()),
        Some((last, rest)) => Some(format!("{} and {last}", rest.join(", "))),
    }
}

pub fn date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// `24 Nov 2026, 14:05` in the academy's time zone.
pub fn date_time(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%-d %b %Y, %H:%M")
        .to_string()
}

/// `24 Nov 2026`: the day of an instant in the academy's time zone.
/// Takes references, as templates pass them.
pub fn day(at: &DateTime<Utc>, zone: &Tz) -> String {
    date(at.with_timezone(zone).date_naive())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(-12345), "-12,345");
    }

    #[test]
    fn money_is_naira_with_thousands_and_two_decimals() {
        let m = |s: &str| money(&BigDecimal::from_str(s).unwrap());
        assert_eq!(m("15000"), "₦15,000.00");
        assert_eq!(m("12500.5"), "₦12,500.50");
        assert_eq!(m("999.999"), "₦1,000.00");
        assert_eq!(m("1234567.89"), "₦1,234,567.89");
        assert_eq!(m("0.05"), "₦0.05");
        assert_eq!(m("-250"), "-₦250.00");
        assert_eq!(m("-0.5"), "-₦0.50");
        assert_eq!(m("1.005"), "₦1.00");
        assert_eq!(m("1.015"), "₦1.02");
        assert_eq!(m("1e3"), "₦1,000.00");
        assert_eq!(m("15000.00"), "₦15,000.00");
    }

    #[test]
    fn kobo_are_written_as_money() {
        assert_eq!(Money(1_500_000).to_string(), "₦15,000.00");
        assert_eq!(Money(5).to_string(), "₦0.05");
        assert_eq!(Money(100_000_000_000).to_string(), "₦1,000,000,000.00");
        assert_eq!(Money(-25_050).to_string(), "-₦250.50");
        assert_eq!(Money(i64::MIN).to_string(), "-₦92,233,720,368,547,758.08");
        assert_eq!(MoneyOrBlank(Some(250)).to_string(), "₦2.50");
        assert_eq!(MoneyOrBlank(None).to_string(), "");
    }

    #[test]
    fn dates_read_day_month_year() {
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
            "24 Nov 2026"
        );
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            "5 Jan 2026"
        );
    }

    #[test]
    fn times_show_in_the_academy_zone() {
        let at = DateTime::parse_from_rfc3339("2026-11-24T13:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            date_time(at, chrono_tz::Africa::Lagos),
            "24 Nov 2026, 14:05"
        );
    }
}

/// A count with thousands separators: 1204 -> "1,204".
pub fn thousands(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", Grouped(n.unsigned_abs()))
}
