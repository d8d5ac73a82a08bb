//! Reading an amount of naira as people type it (`15000`, `15,000.50`, `₦15,000`): every money
//! field (a price, a discount, a payment) parses through here, with messages that name the field.
//! Parse, don't validate: what comes out is positive, has at most two decimals and fits
//! `NUMERIC(12,2)`.

use std::str::FromStr;

use bigdecimal::{BigDecimal, RoundingMode, Signed};

/// Below ₦10,000,000,000.00: the largest amount `NUMERIC(12,2)` holds is 9,999,999,999.99.
const LIMIT: &str = "10000000000";

/// How messages name the amount: "a price" / "the price", "an amount" / "the amount".
#[derive(Debug, Clone, Copy)]
pub struct Noun {
    pub a: &'static str,
    pub the: &'static str,
}

impl Noun {
    fn capital_a(self) -> String {
        let mut chars = self.a.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

pub const AMOUNT: Noun = Noun {
    a: "an amount",
    the: "the amount",
};

/// What a person typed, as naira with two decimals.
pub fn parse(input: &str, noun: Noun) -> Result<BigDecimal, String> {
    let cleaned: String = input
        .trim()
        .trim_start_matches('₦')
        .trim_start_matches("NGN")
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    if cleaned.is_empty() {
        return Err(format!("Enter {}, e.g. 15000 or 15,000.50.", noun.a));
    }
    if cleaned.starts_with('-') {
        return Err(format!("{} must be more than ₦0.00.", noun.capital_a()));
    }
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let not_a_number = || {
        format!(
            "Enter {} as a number of naira, e.g. 15000 or 15,000.50.",
            noun.the
        )
    };
    if whole.is_empty() && fraction.is_empty()
        || !digits_only(whole)
        || !digits_only(fraction)
        || cleaned.matches('.').count() > 1
    {
        return Err(not_a_number());
    }
    if fraction.len() > 2 {
        return Err("Use at most two decimals (kobo), e.g. 15000.50.".into());
    }
    let amount = BigDecimal::from_str(&cleaned).map_err(|_| not_a_number())?;
    checked(amount, noun)
}

/// An amount computed by the app (e.g. a price adjusted by a percentage), checked the same way.
pub fn checked(amount: BigDecimal, noun: Noun) -> Result<BigDecimal, String> {
    if !amount.is_positive() {
        return Err(format!("{} must be more than ₦0.00.", noun.capital_a()));
    }
    if amount.with_scale_round(2, RoundingMode::HalfUp) != amount {
        return Err("Use at most two decimals (kobo), e.g. 15000.50.".into());
    }
    if amount >= BigDecimal::from_str(LIMIT).expect("constant") {
        return Err(format!(
            "{} must be below ₦10,000,000,000.00.",
            noun.capital_a()
        ));
    }
    Ok(amount.with_scale(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field() {
        assert_eq!(
            parse("", AMOUNT).unwrap_err(),
            "Enter an amount, e.g. 15000 or 15,000.50."
        );
        assert_eq!(
            parse("0", AMOUNT).unwrap_err(),
            "An amount must be more than ₦0.00."
        );
        assert_eq!(
            parse("x", AMOUNT).unwrap_err(),
            "Enter the amount as a number of naira, e.g. 15000 or 15,000.50."
        );
        assert_eq!(parse("₦1,500.5", AMOUNT).unwrap().to_string(), "1500.50");
    }
}
