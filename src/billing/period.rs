//! The program's billing period: month or term.

use diesel::prelude::*;

use crate::{
    access::ProgramScope,
    schema::{programs, sql_types},
};

crate::pg_enum! {
    /// `programs.billing_period`: what one price of the matrix pays for.
    pub enum BillingPeriod: sql_types::BillingPeriod {
        Month = "month",
        Term = "term",
    }
}

impl BillingPeriod {
    /// "per calendar month", "per term": how the pricing page and invoices say it.
    pub fn per(self) -> &'static str {
        match self {
            BillingPeriod::Month => "per calendar month",
            BillingPeriod::Term => "per term",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BillingPeriod::Month => "Calendar month",
            BillingPeriod::Term => "Term",
        }
    }
}

pub fn billing_period_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
) -> QueryResult<BillingPeriod> {
    programs::table
        .find(scope.program_id())
        .select(programs::billing_period)
        .first(conn)
}
