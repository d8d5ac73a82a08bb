//! The balances page and its CSV.

use actix_web::{web, HttpResponse};
use askama::Template;
use bigdecimal::BigDecimal;
use serde::Deserialize;

use super::{
    model::{self, Filter, StudentBalance},
    Ageing, Bucket,
};
use crate::{
    access::ProgramScope,
    db,
    error::AppResult,
    web::{
        csv_export::CsvExport,
        format,
        pagination::{query_string, PageRequest, Paginated},
        render, Shell,
    },
    AppState,
};

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub age: String,
    pub page: Option<i64>,
}

impl ListQuery {
    fn filter(&self) -> Filter {
        Filter {
            q: self.q.clone(),
            bucket: Bucket::parse(&self.age),
        }
    }
    fn base(&self) -> String {
        query_string(&[("q", self.q.trim()), ("age", &self.age)])
    }
}

#[derive(Template)]
#[template(path = "balances/list.html")]
struct ListPage {
    shell: Shell,
    query: ListQuery,
    pagination: Paginated<StudentBalance>,
    totals: Ageing,
    filtered: bool,
    export_query: String,
}

impl ListPage {
    fn money(&self, amount: impl std::borrow::Borrow<BigDecimal>) -> String {
        format::money(amount.borrow())
    }
    fn buckets(&self) -> [Bucket; 5] {
        Bucket::ALL
    }
}

pub async fn list(
    shell: Shell,
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let page = PageRequest::parse(query.page)?;
    let (filter, today) = (query.filter(), state.config.today());
    let ((rows, counted), totals) = db::run(&state.pool, move |conn| {
        Ok((
            model::list(conn, &scope, &filter, Some(page), today)?,
            model::totals(conn, &scope, today)?,
        ))
    })
    .await?;
    let base = query.base();
    render(&ListPage {
        filtered: !query.q.trim().is_empty() || !query.age.is_empty(),
        export_query: base.clone(),
        shell,
        query,
        pagination: Paginated::counted_past(rows, counted, page, base),
        totals,
    })
}

/// Every student owing something (who matches the filters), one row each, amounts as plain
/// numbers with two decimals.
pub async fn export(
    scope: ProgramScope,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (filter, today) = (query.filter(), state.config.today());
    let program = scope.program_name().to_string();
    let (rows, _) = db::run(&state.pool, move |conn| {
        model::list(conn, &scope, &filter, None, today)
    })
    .await?;
    let mut out = CsvExport::new(&[
        "student_id",
        "student",
        "not_yet_due",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "over_90_days",
        "total",
    ])?;
    let plain = |amount: &BigDecimal| amount.with_scale(2).to_string();
    for b in &rows {
        let amounts: Vec<String> = Bucket::ALL
            .iter()
            .map(|bucket| plain(b.ageing.get(bucket)))
            .chain([plain(&b.ageing.total())])
            .collect();
        out.row(
            [b.student_code.as_str(), b.name.as_str()]
                .into_iter()
                .chain(amounts.iter().map(String::as_str)),
        )?;
    }
    out.into_response("balances", &program)
}
