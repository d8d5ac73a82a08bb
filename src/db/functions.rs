//! SQL functions the queries of several features call, declared once for the DSL (a DSL call is
//! part of a statement diesel can cache; an `sql()` literal is parsed and planned every time).

diesel::define_sql_function! {
    /// SQL `lower(text)`: names compared and sorted case-insensitively, as the `lower(...)`
    /// indexes on them do.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    /// SQL `net_fee(fee, kind, value)` (migration 000022): an enrollment's fee per billing period
    /// once its discount is taken off, rounded to the kobo once.
    fn net_fee(
        fee: diesel::sql_types::Numeric,
        kind: crate::schema::sql_types::DiscountKind,
        value: diesel::sql_types::Numeric,
    ) -> diesel::sql_types::Numeric;
}

diesel::define_sql_function! {
    /// PostgreSQL's `set_config(name, value, is_local)`.
    fn set_config(name: diesel::sql_types::Text, value: diesel::sql_types::Text, is_local: diesel::sql_types::Bool) -> diesel::sql_types::Text;
}
