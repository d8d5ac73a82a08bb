//! An enrollment's fee page (its discount, applying today's price, its history), and the new
//! prices not yet applied, with their preview and confirmation.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use bigdecimal::BigDecimal;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    discount::DiscountForm,
    fee::{self, FeeFacts},
    new_prices::{self, Affected, Pending},
    DiscountKind,
};
use crate::{
    access::ProgramScope,
    billing::{billing_period_of, BillingPeriod},
    db,
    enrollments::{self, EnrollmentLine},
    error::{AppError, AppResult},
    pricing::PriceKey,
    web::{
        flash,
        form::{version, FieldErrors, VersionForm},
        format, redirect, render, render_with_status, Shell,
    },
    AppState,
};

#[derive(Template)]
#[template(path = "fees/enrollment.html")]
struct FeePage {
    shell: Shell,
    line: EnrollmentLine,
    facts: FeeFacts,
    period: BillingPeriod,
    form: DiscountForm,
    errors: FieldErrors,
    tz: chrono_tz::Tz,
}

impl FeePage {
    fn money(&self, amount: &BigDecimal) -> String {
        format::money(amount)
    }
    fn kinds(&self) -> &'static [DiscountKind] {
        DiscountKind::ALL
    }
    fn version(&self) -> String {
        version(self.facts.updated_at)
    }
    fn changeable(&self) -> bool {
        fee::fee_changes(self.line.status)
    }
    /// The price in force today, when it is not the agreed fee (and so can be applied).
    fn new_price(&self) -> Option<&BigDecimal> {
        self.facts
            .price_today
            .as_ref()
            .filter(|p| **p != self.line.agreed_fee)
    }
}

async fn fee_page(
    shell: Shell,
    scope: ProgramScope,
    state: &AppState,
    id: Uuid,
    form: Option<DiscountForm>,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let today = state.config.today();
    let (line, facts, period) = db::run(&state.pool, move |conn| {
        let line = enrollments::one(conn, &scope, id)?;
        let key = PriceKey {
            facility_id: line.facility_id,
            course_id: line.course_id,
            age_group: line.age_group.clone(),
            location_type: line.location_type.clone(),
            session_type: line.session_type.clone(),
        };
        let facts = fee::facts(conn, &scope, id, &key, today)?;
        Ok((line, facts, billing_period_of(conn, &scope)?))
    })
    .await?;
    let form = form.unwrap_or_else(|| DiscountForm::of(&line.discount, version(facts.updated_at)));
    let status = errors.status();
    render_with_status(
        status,
        &FeePage {
            shell,
            line,
            facts,
            period,
            form,
            errors,
            tz: state.config.time_zone,
        },
    )
}

pub async fn show(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    fee_page(
        shell,
        scope,
        &state,
        path.into_inner(),
        None,
        FieldErrors::new(),
    )
    .await
}

pub async fn set_discount(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<DiscountForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.into_inner());
    let discount = match form.validate() {
        Ok(discount) => discount,
        Err(errors) => return fee_page(shell, scope, &state, id, Some(form), errors).await,
    };
    let (s, d, v) = (scope.clone(), discount.clone(), form.version.clone());
    db::transaction(&state.pool, move |conn| {
        fee::set_discount(conn, &s, id, &v, &d)
    })
    .await?;
    flash::success(
        &session,
        match discount.describe() {
            Some(what) => format!("Discount saved: {what}."),
            None => "Discount removed: the agreed fee applies in full.".into(),
        },
    );
    Ok(redirect(&format!("/enrollments/{id}/fee")))
}

pub async fn apply_price(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<Uuid>,
    form: web::Form<VersionForm>,
) -> AppResult<HttpResponse> {
    let (id, v) = (path.into_inner(), form.into_inner().version);
    let today = state.config.today();
    let price = db::transaction(&state.pool, move |conn| {
        fee::apply_price(conn, &scope, id, &v, today)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "The price in force, {}, is now this enrollment's agreed fee.",
            format::money(&price)
        ),
    );
    Ok(redirect(&format!("/enrollments/{id}/fee")))
}

#[derive(Template)]
#[template(path = "fees/new_prices.html")]
struct NewPricesPage {
    shell: Shell,
    pending: Vec<Pending>,
}

impl NewPricesPage {
    fn money(&self, amount: &BigDecimal) -> String {
        format::money(amount)
    }
    fn range(&self, p: &Pending) -> String {
        new_prices::range(&p.lowest, &p.highest)
    }
}

pub async fn new_prices(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let today = state.config.today();
    let pending = db::run(&state.pool, move |conn| {
        new_prices::pending(conn, &scope, today)
    })
    .await?;
    render(&NewPricesPage { shell, pending })
}

/// A configuration at a facility, as the preview's link and form name it.
#[derive(Deserialize)]
pub struct KeyQuery {
    facility_id: Uuid,
    course_id: Uuid,
    age_group: String,
    location_type: String,
    session_type: String,
}

impl KeyQuery {
    fn key(self) -> PriceKey {
        PriceKey {
            facility_id: self.facility_id,
            course_id: self.course_id,
            age_group: self.age_group,
            location_type: self.location_type,
            session_type: self.session_type,
        }
    }
}

#[derive(Template)]
#[template(path = "fees/preview.html")]
struct PreviewPage {
    shell: Shell,
    pending: Pending,
    affected: Vec<Affected>,
}

impl PreviewPage {
    fn money(&self, amount: &BigDecimal) -> String {
        format::money(amount)
    }
}

pub async fn preview(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<KeyQuery>,
) -> AppResult<HttpResponse> {
    let key = query.into_inner().key();
    let today = state.config.today();
    let found = db::run(&state.pool, move |conn| {
        new_prices::preview(conn, &scope, &key, today)
    })
    .await?;
    let Some((pending, affected)) = found else {
        flash::success(
            &session,
            "Every enrollment of that configuration already pays the price in force.",
        );
        return Ok(redirect("/fees/new-prices"));
    };
    render(&PreviewPage {
        shell,
        pending,
        affected,
    })
}

#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(flatten)]
    key: KeyQuery,
    /// The price the preview showed: applied only if it is still the one in force.
    price: String,
}

pub async fn apply_new_price(
    scope: ProgramScope,
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<ApplyForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let seen: BigDecimal = form.price.trim().parse().map_err(|_| {
        AppError::bad_request(
            "The form lost the price it showed. Reload the page; nothing was changed.",
        )
    })?;
    let key = form.key.key();
    let today = state.config.today();
    let shown = seen.clone();
    let changed = db::transaction(&state.pool, move |conn| {
        new_prices::apply(conn, &scope, &key, &shown, today)
    })
    .await?;
    flash::success(
        &session,
        format!(
            "{} now {} the price in force, {}.",
            crate::web::format::plural(changed as i64, "enrollment", "enrollments"),
            if changed == 1 { "pays" } else { "pay" },
            format::money(&seen)
        ),
    );
    Ok(redirect("/fees/new-prices"))
}
