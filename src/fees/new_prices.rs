//! New prices not yet applied: configurations whose price in force today differs from the fee
//! some of their running enrollments agreed to, the enrollments a change would touch (the
//! preview), and applying the price to all of them at once.

use std::collections::HashMap;

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::{dsl::count_star, pg::Pg, prelude::*};
use uuid::Uuid;

use super::{fee::FeeChangeKind, DiscountKind};
use crate::{
    access::ProgramScope,
    db::functions::net_fee,
    enrollments::EnrollmentStatus,
    error::{AppError, AppResult},
    offerings::Choices,
    pricing::{self, PriceKey},
    schema::{
        course_enrollments as e, courses, enrollment_fee_changes as changes, facilities, students,
    },
    web::format,
};

/// The statuses whose fee may still change (see `fee::fee_changes`).
const CHANGEABLE: [EnrollmentStatus; 3] = [
    EnrollmentStatus::Active,
    EnrollmentStatus::Paused,
    EnrollmentStatus::Waitlisted,
];

/// One configuration at one facility with enrollments whose fee is not today's price.
pub struct Pending {
    pub key: PriceKey,
    pub course: String,
    pub facility: String,
    pub configuration: String,
    pub price: BigDecimal,
    /// Enrollments whose agreed fee differs from the price.
    pub enrollments: i64,
    pub lowest: BigDecimal,
    pub highest: BigDecimal,
}

impl Pending {
    /// The query string that names this configuration (the preview's link and form).
    pub fn query(&self) -> String {
        key_query(&self.key)
    }
}

pub fn key_query(key: &PriceKey) -> String {
    crate::web::pagination::query_string(&[
        ("facility_id", &key.facility_id.to_string()),
        ("course_id", &key.course_id.to_string()),
        ("age_group", &key.age_group),
        ("location_type", &key.location_type),
        ("session_type", &key.session_type),
    ])
}

/// Every configuration of the program with enrollments whose fee is not the price in force on
/// `today`, by course and facility. Three statements, whatever the number of enrollments.
pub fn pending(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    today: NaiveDate,
) -> AppResult<Vec<Pending>> {
    let prices = pricing::program_prices_in_force(conn, scope, today)?;
    let groups: Vec<(Uuid, Uuid, String, String, String, BigDecimal, i64)> = scope
        .course_enrollments()
        .filter(e::status.eq_any(CHANGEABLE))
        .group_by((
            e::facility_id,
            e::course_id,
            e::age_group,
            e::location_type,
            e::session_type,
            e::agreed_fee,
        ))
        .select((
            e::facility_id,
            e::course_id,
            e::age_group,
            e::location_type,
            e::session_type,
            e::agreed_fee,
            count_star(),
        ))
        .load(conn)?;
    let mut by_key: HashMap<PriceKey, (BigDecimal, i64, BigDecimal, BigDecimal)> = HashMap::new();
    for (facility_id, course_id, age_group, location_type, session_type, fee, n) in groups {
        let key = PriceKey {
            facility_id,
            course_id,
            age_group,
            location_type,
            session_type,
        };
        let Some(price) = prices.get(&key) else {
            continue;
        };
        if *price == fee {
            continue;
        }
        let entry = by_key
            .entry(key)
            .or_insert_with(|| (price.clone(), 0, fee.clone(), fee.clone()));
        entry.1 += n;
        if fee < entry.2 {
            entry.2 = fee.clone();
        }
        if fee > entry.3 {
            entry.3 = fee;
        }
    }
    let names = Names::load(conn, scope)?;
    let mut list: Vec<Pending> = by_key
        .into_iter()
        .map(|(key, (price, enrollments, lowest, highest))| Pending {
            course: names.course(key.course_id),
            facility: names.facility(key.facility_id),
            configuration: names.choices.configuration(
                &key.age_group,
                &key.location_type,
                &key.session_type,
            ),
            key,
            price,
            enrollments,
            lowest,
            highest,
        })
        .collect();
    list.sort_by(|a, b| {
        (&a.course, &a.facility, &a.configuration).cmp(&(&b.course, &b.facility, &b.configuration))
    });
    Ok(list)
}

/// The names a list of configurations shows.
struct Names {
    courses: HashMap<Uuid, String>,
    facilities: HashMap<Uuid, String>,
    choices: Choices,
}

impl Names {
    fn load(conn: &mut PgConnection, scope: &ProgramScope) -> QueryResult<Names> {
        Ok(Names {
            courses: scope
                .courses()
                .select((courses::id, courses::name))
                .load::<(Uuid, String)>(conn)?
                .into_iter()
                .collect(),
            facilities: scope
                .facilities()
                .select((facilities::id, facilities::name))
                .load::<(Uuid, String)>(conn)?
                .into_iter()
                .collect(),
            choices: Choices::load(conn, scope)?,
        })
    }
    fn course(&self, id: Uuid) -> String {
        self.courses.get(&id).cloned().unwrap_or_default()
    }
    fn facility(&self, id: Uuid) -> String {
        self.facilities.get(&id).cloned().unwrap_or_default()
    }
}

/// One enrollment the change would touch.
pub struct Affected {
    pub id: Uuid,
    pub student_id: Uuid,
    pub student: String,
    pub status: EnrollmentStatus,
    pub fee_now: BigDecimal,
    pub discount: super::Discount,
    /// What it will cost per period with the new price and its discount.
    pub fee_after: BigDecimal,
}

/// The preview: the configuration with its names and price, and the enrollments it would touch,
/// by student name. None when nothing is pending for it (applied meanwhile, or no price today).
pub fn preview(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
    today: NaiveDate,
) -> AppResult<Option<(Pending, Vec<Affected>)>> {
    let Some(price) = pricing::price_in_force(conn, scope, key, today)?.map(|p| p.price) else {
        return Ok(None);
    };
    // "Last, First" (the scoped students table is read by a subquery, not joined).
    let name = scope
        .students()
        .filter(students::id.eq(e::student_id))
        .select(
            students::last_name
                .concat(", ")
                .concat(students::first_name),
        )
        .single_value();
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        Uuid,
        Uuid,
        Option<String>,
        EnrollmentStatus,
        BigDecimal,
        (DiscountKind, BigDecimal, String),
        BigDecimal,
    )> = affected(scope, key, &price)
        .select((
            e::id,
            e::student_id,
            name,
            e::status,
            e::agreed_fee,
            (e::discount_kind, e::discount_value, e::discount_reason),
            net_fee(price.clone(), e::discount_kind, e::discount_value),
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let names = Names::load(conn, scope)?;
    let mut list: Vec<Affected> = rows
        .into_iter()
        .map(
            |(id, student_id, student, status, fee_now, d, fee_after)| Affected {
                id,
                student_id,
                student: student.unwrap_or_default(),
                status,
                fee_now,
                discount: super::Discount {
                    kind: d.0,
                    value: d.1,
                    reason: d.2,
                },
                fee_after,
            },
        )
        .collect();
    list.sort_by(|a, b| a.student.to_lowercase().cmp(&b.student.to_lowercase()));
    let fees = list.iter().map(|a| &a.fee_now);
    let pending = Pending {
        course: names.course(key.course_id),
        facility: names.facility(key.facility_id),
        configuration: names.choices.configuration(
            &key.age_group,
            &key.location_type,
            &key.session_type,
        ),
        key: key.clone(),
        lowest: fees.clone().min().cloned().unwrap_or_default(),
        highest: fees.max().cloned().unwrap_or_default(),
        enrollments: list.len() as i64,
        price,
    };
    Ok(Some((pending, list)))
}

/// The enrollments of `key` whose fee may change and is not `price`.
fn affected<'a>(
    scope: &ProgramScope,
    key: &'a PriceKey,
    price: &'a BigDecimal,
) -> e::BoxedQuery<'a, Pg> {
    scope
        .course_enrollments()
        .filter(e::facility_id.eq(key.facility_id))
        .filter(e::course_id.eq(key.course_id))
        .filter(e::age_group.eq(&key.age_group))
        .filter(e::location_type.eq(&key.location_type))
        .filter(e::session_type.eq(&key.session_type))
        .filter(e::status.eq_any(CHANGEABLE))
        .filter(e::agreed_fee.ne(price))
        .into_boxed()
}

/// Applies the price in force on `today` to every enrollment of `key` whose fee is another, if
/// the price is still the one the preview showed (`seen`); how many changed. The enrollments are
/// locked first, so a discount saved meanwhile is kept in the history row.
pub fn apply(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
    seen: &BigDecimal,
    today: NaiveDate,
) -> AppResult<usize> {
    let price = pricing::price_in_force(conn, scope, key, today)?.map(|p| p.price);
    if price.as_ref() != Some(seen) {
        return Err(AppError::conflict(
            "The price changed since the preview was shown. Look at the preview again; nothing was changed.",
        ));
    }
    // A boxed query cannot lock: the candidates are locked by id, and what could have changed
    // meanwhile (status, fee) is checked again under the lock.
    let candidates: Vec<Uuid> = affected(scope, key, seen).select(e::id).load(conn)?;
    let ids: Vec<Uuid> = scope
        .course_enrollments()
        .filter(e::id.eq_any(&candidates))
        .filter(e::status.eq_any(CHANGEABLE))
        .filter(e::agreed_fee.ne(seen))
        .select(e::id)
        .for_update()
        .load(conn)?;
    if ids.is_empty() {
        return Ok(0);
    }
    let locked = scope.course_enrollments().filter(e::id.eq_any(&ids));
    changes::insert()
        .values(
            locked.clone().select((
                e::id,
                e::program_id,
                FeeChangeKind::PriceApplied.into_sql::<crate::schema::sql_types::FeeChangeKind>(),
                seen.into_sql::<diesel::sql_types::Numeric>(),
                e::discount_kind,
                e::discount_value,
                e::discount_reason,
                scope
                    .actor_id()
                    .into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Uuid>>(),
            )),
        )
        .into_columns((
            changes::enrollment_id,
            changes::program_id,
            changes::kind,
            changes::agreed_fee,
            changes::discount_kind,
            changes::discount_value,
            changes::discount_reason,
            changes::changed_by,
        ))
        .execute(conn)?;
    Ok(diesel::update(locked)
        .set(e::agreed_fee.eq(seen))
        .execute(conn)?)
}

/// "₦12,000.00" or "₦12,000.00 to ₦14,000.00".
pub fn range(lowest: &BigDecimal, highest: &BigDecimal) -> String {
    if lowest == highest {
        format::money(lowest)
    } else {
        format!("{} to {}", format::money(lowest), format::money(highest))
    }
}
