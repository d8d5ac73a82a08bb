//! How the app writes money, dates and times (product.md, "Everyday expectations").

use bigdecimal::{BigDecimal, RoundingMode, Signed, ToPrimitive};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// `₦15,000.00`: naira, thousands separated, always two decimals.
pub fn money(amount: &BigDecimal) -> String {
    let kobo = whole_kobo(amount).unwrap_or_else(|| rounded_kobo(amount));
    let sign = if kobo < 0 { "-" } else { "" };
    let kobo = kobo.unsigned_abs();
    format!(
        "{sign}₦{}.{:02}",
        group_thousands(&(kobo / 100).to_string()),
        kobo % 100
    )
}

/// The amount in kobo when it has at most two decimals and fits an `i64`, as every stored price
/// does (`numeric(12,2)`): integer arithmetic, where rounding a BigDecimal allocates and divides
/// big integers (a pricing matrix formats hundreds of prices per page).
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

fn group_thousands(whole: &str) -> String {
    let mut out = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `24 Nov 2026`.
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
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
