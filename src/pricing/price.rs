//! `Price`: an amount of naira a price can be. Parse, don't validate: whatever holds a `Price`
//! holds a positive amount with at most two decimals that fits `NUMERIC(12,2)`.

use std::str::FromStr;

use bigdecimal::{BigDecimal, RoundingMode};

use crate::web::naira;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price(BigDecimal);

const PRICE: naira::Noun = naira::Noun {
    a: "a price",
    the: "the price",
};

impl Price {
    /// What a person types: `15000`, `15,000.50`, `₦15,000`, ` 2500.5 `.
    pub fn parse(input: &str) -> Result<Price, String> {
        naira::parse(input, PRICE).map(Price)
    }

    /// An amount computed by the app (e.g. a price adjusted by a percentage), checked the same way.
    pub fn from_decimal(amount: BigDecimal) -> Result<Price, String> {
        naira::checked(amount, PRICE).map(Price)
    }

    pub fn amount(&self) -> &BigDecimal {
        &self.0
    }

    pub fn into_amount(self) -> BigDecimal {
        self.0
    }

    /// The price changed by `percent` (e.g. `-10`, `7.5`), rounded half up to the kobo.
    pub fn adjusted(&self, percent: &BigDecimal) -> Result<Price, String> {
        let factor = (BigDecimal::from(100) + percent) / BigDecimal::from(100);
        Price::from_decimal((&self.0 * factor).with_scale_round(2, RoundingMode::HalfUp))
    }
}

impl std::fmt::Display for Price {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::web::format::money(&self.0))
    }
}

/// A percentage for bulk copies: from -90 to +500, at most two decimals; empty is 0.
pub fn parse_percent(input: &str) -> Result<BigDecimal, String> {
    let cleaned = input
        .trim()
        .trim_end_matches('%')
        .trim()
        .trim_start_matches('+');
    if cleaned.is_empty() {
        return Ok(BigDecimal::from(0));
    }
    let value = BigDecimal::from_str(cleaned)
        .map_err(|_| "Enter a percentage such as 10 or -5, or leave it empty.".to_string())?;
    if value.with_scale_round(2, RoundingMode::HalfUp) != value {
        return Err("Use at most two decimals in the percentage.".into());
    }
    let (lowest, highest) = (BigDecimal::from(-90), BigDecimal::from(500));
    if value < lowest || value > highest {
        return Err("Use a percentage from -90 to +500.".into());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str) -> String {
        Price::parse(s).unwrap().amount().to_string()
    }

    #[test]
    fn a_price_reads_what_people_type() {
        assert_eq!(amount("15000"), "15000.00");
        assert_eq!(amount(" ₦15,000.5 "), "15000.50");
        assert_eq!(amount("0.01"), "0.01");
        assert_eq!(amount("9999999999.99"), "9999999999.99");
        assert_eq!(amount(".5"), "0.50");
    }

    #[test]
    fn a_price_refuses_zero_negative_too_precise_too_large_and_text() {
        for bad in [
            "",
            "0",
            "0.00",
            "-5",
            "12.345",
            "10000000000",
            "1e5",
            "abc",
            "1.2.3",
            ".",
        ] {
            assert!(Price::parse(bad).is_err(), "{bad:?} is refused");
        }
        assert!(Price::parse("12.345").unwrap_err().contains("two decimals"));
        assert!(Price::parse("0").unwrap_err().contains("more than"));
        assert!(Price::parse("10000000000").unwrap_err().contains("below"));
    }

    #[test]
    fn an_adjusted_price_is_rounded_to_the_kobo() {
        let p = Price::parse("1000.05").unwrap();
        assert_eq!(
            p.adjusted(&BigDecimal::from(10))
                .unwrap()
                .amount()
                .to_string(),
            "1100.06"
        );
        assert_eq!(
            p.adjusted(&parse_percent("-12.5").unwrap())
                .unwrap()
                .amount()
                .to_string(),
            "875.04"
        );
        assert!(parse_percent("-91").is_err());
        assert!(parse_percent("x").is_err());
        assert_eq!(parse_percent("+5%").unwrap(), BigDecimal::from(5));
    }
}
