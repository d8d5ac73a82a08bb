//! An enrollment's discount: a percentage or an amount off its agreed fee, always with its reason.
//! The fee after the discount is computed by the database (`net_fee`, migration 000022) so every
//! page and every invoice line agree to the kobo.

use bigdecimal::BigDecimal;

use crate::{schema::sql_types, web::format};

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
}
