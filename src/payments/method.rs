//! How a payment was made.

use crate::schema::sql_types;

crate::pg_enum! {
    /// `payments.method`.
    pub enum PaymentMethod: sql_types::PaymentMethod {
        Cash = "cash",
        BankTransfer = "bank_transfer",
        Card = "card",
        Other = "other",
    }
}

impl PaymentMethod {
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Cash",
            PaymentMethod::BankTransfer => "Bank transfer",
            PaymentMethod::Card => "Card / POS",
            PaymentMethod::Other => "Other",
        }
    }
}

crate::pg_enum! {
    /// `payments.kind`: money received, or a refund giving (part of) a payment's credit back.
    pub enum PaymentKind: sql_types::PaymentKind {
        Payment = "payment",
        Refund = "refund",
    }
}
