//! An invoice's kind and status.

use crate::schema::sql_types;

crate::pg_enum! {
    /// `invoices.kind`.
    pub enum InvoiceKind: sql_types::InvoiceKind {
        Invoice = "invoice",
        CreditNote = "credit_note",
    }
}

crate::pg_enum! {
    /// `invoices.status`: issued, then partly paid and paid as payments come; void (with its
    /// reason) instead of ever being deleted. Draft: not yet issued (no generated invoice is).
    pub enum InvoiceStatus: sql_types::InvoiceStatus {
        Draft = "draft",
        Issued = "issued",
        PartlyPaid = "partly_paid",
        Paid = "paid",
        Void = "void",
    }
}

impl InvoiceStatus {
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "Draft",
            InvoiceStatus::Issued => "Issued",
            InvoiceStatus::PartlyPaid => "Partly paid",
            InvoiceStatus::Paid => "Paid",
            InvoiceStatus::Void => "Void",
        }
    }
}

impl InvoiceKind {
    pub fn label(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "Invoice",
            InvoiceKind::CreditNote => "Credit note",
        }
    }

    /// The number's prefix: `INV`, `CRN`.
    pub fn prefix(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "INV",
            InvoiceKind::CreditNote => "CRN",
        }
    }
}

crate::pg_enum! {
    /// `invoice_runs.status`.
    pub enum RunStatus: sql_types::InvoiceRunStatus {
        Running = "running",
        Done = "done",
        Failed = "failed",
    }
}
