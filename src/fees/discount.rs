//! An enrollment's discount: a percentage or an amount off its agreed fee, always with its reason.
//! The fee after the discount is computed by the database (`net_fee`, migration 000022) so every
//! page and every invoice line agree to the kobo.

use std::str::FromStr;

use bigdecimal::{BigDecimal, RoundingMode};
use serde::Deserialize;

use crate::{
    schema::sql_types,
    web::{form::FieldErrors, format, naira},
};

crate::pg_enum! {
    /// `course_enrollments.discount_kind`.
    pub enum DiscountKind: sql_types::DiscountKind {
        None = "none",
        Percent = "percent",
        Amount = "amount",
    }
}

/// A discount as an enrollment row keeps it.
#[derive(Debug, Clone)]
pub struct Discount {
    pub kind: DiscountKind,
    pub value: BigDecimal,
    pub reason: String,
}

impl Discount {
    pub fn none() -> Discount {
        Discount {
            kind: DiscountKind::None,
            value: BigDecimal::from(0),
            reason: String::new(),
        }
    }

    /// "10% off (sibling)", "₦2,000.00 off (scholarship)", "Free place (scholarship)"; none
    /// without a discount.
    pub fn describe(&self) -> Option<String> {
        let what = match self.kind {
            DiscountKind::None => return None,
            DiscountKind::Percent if self.value == BigDecimal::from(100) => {
                "Free place".to_string()
            }
            DiscountKind::Percent => format!("{}% off", self.value.normalized()),
            DiscountKind::Amount => format!("{} off", format::money(&self.value)),
        };
        Some(format!("{what} ({})", self.reason))
    }
}

/// The discount form as posted.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct DiscountForm {
    #[serde(default)]
    pub discount_kind: String,
    #[serde(default)]
    pub discount_value: String,
    #[serde(default)]
    pub discount_reason: String,
    #[serde(default)]
    pub version: String,
}

const REASON_MAX: usize = 160;

impl DiscountForm {
    /// The form of an enrollment's discount as it stands.
    pub fn of(discount: &Discount, version: String) -> DiscountForm {
        let value = match discount.kind {
            DiscountKind::None => String::new(),
            _ => discount.value.normalized().to_string(),
        };
        DiscountForm {
            discount_kind: discount.kind.as_str().into(),
            discount_value: value,
            discount_reason: discount.reason.clone(),
            version,
        }
    }

    /// A discount the database's check accepts: none, or a percentage above 0 and at most 100,
    /// or an amount of naira, each with its reason.
    pub fn validate(&self) -> Result<Discount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let Ok(kind) = self.discount_kind.parse::<DiscountKind>() else {
            errors.add(
                "discount_kind",
                "Choose no discount, a percentage or an amount.",
            );
            return Err(errors);
        };
        if kind == DiscountKind::None {
            return Ok(Discount::none());
        }
        let value = match kind {
            DiscountKind::Percent => percent(&self.discount_value),
            _ => naira::parse(&self.discount_value, DISCOUNT),
        };
        let reason = self.discount_reason.trim();
        if reason.is_empty() {
            errors.add(
                "discount_reason",
                "Say why, e.g. sibling or scholarship: a discount always has its reason.",
            );
        } else if reason.chars().count() > REASON_MAX {
            errors.add(
                "discount_reason",
                format!("Keep the reason to {REASON_MAX} characters."),
            );
        }
        match value {
            Ok(value) if errors.is_empty() => Ok(Discount {
                kind,
                value,
                reason: reason.to_string(),
            }),
            Ok(_) => Err(errors),
            Err(message) => {
                errors.add("discount_value", message);
                Err(errors)
            }
        }
    }
}

const DISCOUNT: naira::Noun = naira::Noun {
    a: "the discount",
    the: "the discount",
};

/// A percentage off: above 0, at most 100 (a free place), two decimals at most.
fn percent(input: &str) -> Result<BigDecimal, String> {
    let cleaned = input.trim().trim_end_matches('%').trim();
    if cleaned.is_empty() {
        return Err("Enter the percentage off, e.g. 10 (100 makes a free place).".into());
    }
    let value = BigDecimal::from_str(cleaned)
        .map_err(|_| "Enter the percentage as a number, e.g. 10 or 12.5.".to_string())?;
    if value.with_scale_round(2, RoundingMode::HalfUp) != value {
        return Err("Use at most two decimals in the percentage.".into());
    }
    if value <= BigDecimal::from(0) || value > BigDecimal::from(100) {
        return Err("A percentage off is above 0 and at most 100 (a free place).".into());
    }
    Ok(value.with_scale(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discount(kind: DiscountKind, value: &str) -> Discount {
        Discount {
            kind,
            value: value.parse().unwrap(),
            reason: "sibling".into(),
        }
    }

    #[test]
    fn a_discount_says_what_it_takes_off_and_why() {
        assert_eq!(discount(DiscountKind::None, "0").describe(), None);
        assert_eq!(
            discount(DiscountKind::Percent, "12.50").describe().unwrap(),
            "12.5% off (sibling)"
        );
        assert_eq!(
            discount(DiscountKind::Percent, "100.00")
                .describe()
                .unwrap(),
            "Free place (sibling)"
        );
        assert_eq!(
            discount(DiscountKind::Amount, "2000").describe().unwrap(),
            "₦2,000.00 off (sibling)"
        );
    }

    fn form(kind: &str, value: &str, reason: &str) -> DiscountForm {
        DiscountForm {
            discount_kind: kind.into(),
            discount_value: value.into(),
            discount_reason: reason.into(),
            version: String::new(),
        }
    }

    #[test]
    fn a_discount_is_a_percentage_up_to_100_or_an_amount_always_with_a_reason() {
        let ok = form("percent", "12.5%", " sibling ").validate().unwrap();
        assert_eq!(ok.value.to_string(), "12.50");
        assert_eq!(ok.reason, "sibling");
        assert_eq!(
            form("amount", "₦2,000", "scholarship")
                .validate()
                .unwrap()
                .value
                .to_string(),
            "2000.00"
        );
        let none = form("none", "5", "ignored").validate().unwrap();
        assert_eq!(none.kind, DiscountKind::None);
        assert!(none.reason.is_empty());
        for (kind, value, reason, field) in [
            ("percent", "0", "x", "discount_value"),
            ("percent", "100.01", "x", "discount_value"),
            ("percent", "10.123", "x", "discount_value"),
            ("amount", "-5", "x", "discount_value"),
            ("amount", "abc", "x", "discount_value"),
            ("percent", "10", "  ", "discount_reason"),
            ("other", "10", "x", "discount_kind"),
        ] {
            let errors = form(kind, value, reason).validate().unwrap_err();
            assert!(errors.has(field), "{kind} {value:?} {reason:?}");
        }
    }
}
