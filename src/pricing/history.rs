//! The history of one cell: every price it had, from when to when, and who set and ended it.

use std::collections::HashMap;

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::lookup::PriceKey;
use crate::{
    access::ProgramScope,
    error::AppResult,
    facilities::{self, Facility},
    offerings::{location_label, Choices},
    schema::{courses, facility_course_pricing as fcp, users},
    web::format,
};

pub struct HistoryRow {
    pub price: BigDecimal,
    pub effective_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub is_active: bool,
    pub set_by: String,
    pub ended_by: String,
    pub set_at: String,
}

pub struct History {
    pub facility: Facility,
    pub course_name: String,
    pub age_label: String,
    pub location_label: String,
    pub session_label: String,
    pub rows: Vec<HistoryRow>,
    /// Active facilities with a price in force today for the same configuration, to compare.
    pub elsewhere: Vec<super::lookup::FacilityPrice>,
}

impl History {
    pub fn money(&self, amount: &BigDecimal) -> String {
        format::money(amount)
    }
    pub fn date(&self, day: &NaiveDate) -> String {
        format::date(*day)
    }
}

pub fn load(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    key: &PriceKey,
    on: NaiveDate,
    zone: chrono_tz::Tz,
) -> AppResult<History> {
    let facility = facilities::find(conn, scope, key.facility_id)?;
    let course_name: String = scope
        .courses()
        .filter(courses::id.eq(key.course_id))
        .select(courses::name)
        .first(conn)?;
    let choices = Choices::load(conn, scope)?;
    let (age_label, session_label) = (
        choices.age_label(&key.age_group),
        choices.session_label(&key.session_type),
    );
    type Row = (
        BigDecimal,
        NaiveDate,
        Option<NaiveDate>,
        bool,
        Option<Uuid>,
        Option<Uuid>,
        DateTime<Utc>,
    );
    let rows: Vec<Row> = scope
        .facility_course_pricing()
        .filter(fcp::facility_id.eq(key.facility_id))
        .filter(fcp::course_id.eq(key.course_id))
        .filter(fcp::age_group.eq(&key.age_group))
        .filter(fcp::location_type.eq(&key.location_type))
        .filter(fcp::session_type.eq(&key.session_type))
        .order((
            fcp::effective_date.desc(),
            fcp::created_at.desc(),
            fcp::id.desc(),
        ))
        .select((
            fcp::price,
            fcp::effective_date,
            fcp::end_date,
            fcp::is_active,
            fcp::created_by,
            fcp::updated_by,
            fcp::created_at,
        ))
        .load(conn)?;
    let ids: Vec<Uuid> = rows.iter().flat_map(|r| [r.4, r.5]).flatten().collect();
    let names: HashMap<Uuid, String> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::username))
        .load::<(Uuid, String)>(conn)?
        .into_iter()
        .collect();
    let name = |id: Option<Uuid>| {
        id.and_then(|id| names.get(&id).cloned())
            .unwrap_or_else(|| "—".into())
    };
    let elsewhere = super::lookup::facilities_with_price(
        conn,
        scope,
        key.course_id,
        &key.age_group,
        &key.location_type,
        &key.session_type,
        on,
    )?;
    Ok(History {
        elsewhere,
        facility,
        course_name,
        age_label,
        location_label: location_label(&key.location_type).to_string(),
        session_label,
        rows: rows
            .into_iter()
            .map(
                |(
                    price,
                    effective_date,
                    end_date,
                    is_active,
                    created_by,
                    updated_by,
                    created_at,
                )| HistoryRow {
                    price,
                    effective_date,
                    end_date,
                    is_active,
                    set_by: name(created_by),
                    ended_by: if is_active {
                        String::new()
                    } else {
                        name(updated_by)
                    },
                    set_at: format::date_time(created_at, zone),
                },
            )
            .collect(),
    })
}
