//! One enrollment's fee: its discount set, or the price in force today applied to it. Each change
//! locks the enrollment, checks the version the form was shown with, and keeps who and when
//! (`enrollment_fee_changes`).

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::{Discount, DiscountKind};
use crate::{
    access::ProgramScope,
    enrollments::EnrollmentStatus,
    error::{AppError, AppResult},
    pricing::{self, PriceKey},
    schema::{course_enrollments as e, enrollment_fee_changes as changes, sql_types, users},
    web::format,
};

crate::pg_enum! {
    /// `enrollment_fee_changes.kind`.
    pub enum FeeChangeKind: sql_types::FeeChangeKind {
        Discount = "discount",
        PriceApplied = "price_applied",
    }
}

/// The facts of an enrollment a fee change needs, read with the row locked.
struct Locked {
    key: PriceKey,
    status: EnrollmentStatus,
    agreed_fee: BigDecimal,
    discount: Discount,
    updated_at: DateTime<Utc>,
}

/// Whether an enrollment's fee may still change: not once it is completed or withdrawn (what it
/// was billed stays what it was).
pub fn fee_changes(status: EnrollmentStatus) -> bool {
    status.is_running() || status == EnrollmentStatus::Waitlisted
}

fn lock(conn: &mut PgConnection, scope: &ProgramScope, id: Uuid) -> AppResult<Locked> {
    #[allow(clippy::type_complexity)]
    let row: (
        (Uuid, Uuid, String, String, String),
        EnrollmentStatus,
        BigDecimal,
        (DiscountKind, BigDecimal, String),
        DateTime<Utc>,
    ) = scope
        .course_enrollments()
        .filter(e::id.eq(id))
        .select((
            (
                e::facility_id,
                e::course_id,
                e::age_group,
                e::location_type,
                e::session_type,
            ),
            e::status,
            e::agreed_fee,
            (e::discount_kind, e::discount_value, e::discount_reason),
            e::updated_at,
        ))
        .for_update()
        .first(conn)?;
    let ((facility_id, course_id, age_group, location_type, session_type), status, fee, d, at) =
        row;
    let locked = Locked {
        key: PriceKey {
            facility_id,
            course_id,
            age_group,
            location_type,
            session_type,
        },
        status,
        agreed_fee: fee,
        discount: Discount {
            kind: d.0,
            value: d.1,
            reason: d.2,
        },
        updated_at: at,
    };
    if !fee_changes(locked.status) {
        return Err(AppError::conflict(format!(
            "A {} enrollment's fee no longer changes. Nothing was changed.",
            locked.status.label().to_lowercase()
        )));
    }
    Ok(locked)
}

fn record(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    kind: FeeChangeKind,
    fee: &BigDecimal,
    d: &Discount,
) -> QueryResult<()> {
    changes::insert()
        .values((
            changes::enrollment_id.eq(id),
            changes::program_id.eq(scope.program_id()),
            changes::kind.eq(kind),
            changes::agreed_fee.eq(fee),
            changes::discount_kind.eq(d.kind),
            changes::discount_value.eq(&d.value),
            changes::discount_reason.eq(&d.reason),
            changes::changed_by.eq(scope.actor_id()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets (or removes) the enrollment's discount.
pub fn set_discount(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
    discount: &Discount,
) -> AppResult<()> {
    let locked = lock(conn, scope, id)?;
    crate::web::form::check_version(version, locked.updated_at, "This enrollment")?;
    diesel::update(scope.course_enrollments().filter(e::id.eq(id)))
        .set((
            e::discount_kind.eq(discount.kind),
            e::discount_value.eq(&discount.value),
            e::discount_reason.eq(&discount.reason),
        ))
        .execute(conn)?;
    record(
        conn,
        scope,
        id,
        FeeChangeKind::Discount,
        &locked.agreed_fee,
        discount,
    )?;
    Ok(())
}

/// Makes the price in force on `today` the enrollment's agreed fee; the new fee.
pub fn apply_price(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    version: &str,
    today: NaiveDate,
) -> AppResult<BigDecimal> {
    let locked = lock(conn, scope, id)?;
    crate::web::form::check_version(version, locked.updated_at, "This enrollment")?;
    let price = pricing::price_in_force(conn, scope, &locked.key, today)?
        .ok_or_else(|| {
            AppError::conflict(
                "No price is in force today for this configuration here, so there is none to apply. Nothing was changed.",
            )
        })?
        .price;
    if price == locked.agreed_fee {
        return Err(AppError::conflict(format!(
            "The agreed fee already is the price in force, {}. Nothing was changed.",
            format::money(&price)
        )));
    }
    diesel::update(scope.course_enrollments().filter(e::id.eq(id)))
        .set(e::agreed_fee.eq(&price))
        .execute(conn)?;
    record(
        conn,
        scope,
        id,
        FeeChangeKind::PriceApplied,
        &price,
        &locked.discount,
    )?;
    Ok(price)
}

/// A change of the fee, as the enrollment's fee page lists it.
pub struct FeeChange {
    pub kind: FeeChangeKind,
    pub agreed_fee: BigDecimal,
    pub discount: Discount,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// What the fee page shows beside the enrollment: its version, the price in force on `today`
/// for its configuration, and the changes of its fee, newest first.
pub struct FeeFacts {
    pub updated_at: DateTime<Utc>,
    pub price_today: Option<BigDecimal>,
    pub changes: Vec<FeeChange>,
}

pub fn facts(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    key: &PriceKey,
    today: NaiveDate,
) -> AppResult<FeeFacts> {
    let (updated_at, price_today): (Option<DateTime<Utc>>, Option<BigDecimal>) = diesel::select((
        scope
            .course_enrollments()
            .filter(e::id.eq(id))
            .select(e::updated_at)
            .single_value(),
        pricing::price_in_force_query(scope, key, today).single_value(),
    ))
    .get_result(conn)?;
    let updated_at = updated_at.ok_or(AppError::NotFound)?;
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        FeeChangeKind,
        BigDecimal,
        (DiscountKind, BigDecimal, String),
        Option<String>,
        DateTime<Utc>,
    )> = scope
        .enrollment_fee_changes()
        .left_join(users::table)
        .filter(changes::enrollment_id.eq(id))
        .order((changes::created_at.desc(), changes::id.desc()))
        .select((
            changes::kind,
            changes::agreed_fee,
            (
                changes::discount_kind,
                changes::discount_value,
                changes::discount_reason,
            ),
            users::username.nullable(),
            changes::created_at,
        ))
        .load(conn)?;
    let changes = rows
        .into_iter()
        .map(|(kind, agreed_fee, d, by, at)| FeeChange {
            kind,
            agreed_fee,
            discount: Discount {
                kind: d.0,
                value: d.1,
                reason: d.2,
            },
            by,
            at,
        })
        .collect();
    Ok(FeeFacts {
        updated_at,
        price_today,
        changes,
    })
}
