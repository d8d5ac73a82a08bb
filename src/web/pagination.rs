//! The paginator of the bounded lists (programs, users, team, courses, facilities): `?page=N`
//! checked, the total counted in the same query with `COUNT(*) OVER ()`, links that keep the list's
//! other parameters (search, filters, sort). Lists that grow without bound (students, enrollments)
//! page by key instead: `web::keyset`.

use serde::Deserialize;

use crate::error::AppError;

pub const PER_PAGE: i64 = 25;
/// Deep offsets get slow; a list this long is searched or filtered, not paged through.
pub const MAX_PAGE: i64 = 10_000;

/// `?page=` of a list request; 1-based.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct PageParam {
    pub page: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub fn parse(page: Option<i64>) -> Result<Self, AppError> {
        let page = page.unwrap_or(1);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(AppError::bad_request(format!(
                "The page number must be between 1 and {MAX_PAGE}."
            )));
        }
        Ok(Self {
            page,
            per_page: PER_PAGE,
        })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// How many rows a count bounded at one row past this page reads.
    pub fn count_limit(&self) -> i64 {
        self.offset() + self.limit() + 1
    }

    pub fn limit(&self) -> i64 {
        self.per_page
    }
}

/// Select this beside a list's columns to get the total of the filtered list in the same query.
pub fn total_count() -> diesel::dsl::Over<diesel::dsl::count_star> {
    // The DSL's window function, not an SQL literal: diesel caches a statement's plan only when
    // every part of it is built by the DSL, and every list page runs this one.
    use diesel::WindowExpressionMethods;
    diesel::dsl::count_star().over()
}

/// One page of a list, and what the pagination bar needs.
#[derive(Debug)]
pub struct Paginated<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// The list's query string without `page`, e.g. `q=ada&status=active`.
    pub base_query: String,
    /// The count stopped one row past this page: the list holds more than `total` rows.
    pub more: bool,
}

impl<T> Paginated<T> {
    /// Builds a page from rows that carry the `total_count()` column.
    pub fn new(rows: Vec<(T, i64)>, request: PageRequest, base_query: String) -> Self {
        let total = rows.first().map_or(0, |(_, total)| *total);
        let items = rows.into_iter().map(|(item, _)| item).collect();
        Self {
            items,
            total,
            page: request.page,
            per_page: request.per_page,
            base_query,
            more: false,
        }
    }

    /// Builds a page of a list counted only up to one row past it (`counted`, read with
    /// `limit(request.count_limit())`): a long list's count costs what its page costs, and
    /// the bar says "more than".
    pub fn counted_past(
        items: Vec<T>,
        counted: i64,
        request: PageRequest,
        base_query: String,
    ) -> Self {
        let end = request.offset() + request.limit();
        Self {
            items,
            total: counted.min(end),
            page: request.page,
            per_page: request.per_page,
            base_query,
            more: counted > end,
        }
    }

    pub fn pages(&self) -> i64 {
        let pages = ((self.total + self.per_page - 1) / self.per_page).max(1);
        if self.more {
            pages + 1
        } else {
            pages
        }
    }

    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }

    pub fn first_shown(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            (self.page - 1) * self.per_page + 1
        }
    }

    pub fn last_shown(&self) -> i64 {
        (self.first_shown() + self.items.len() as i64 - 1).max(0)
    }

    /// The link to page `page` of the same list.
    pub fn href(&self, page: i64) -> String {
        if self.base_query.is_empty() {
            format!("?page={page}")
        } else {
            format!("?{}&page={page}", self.base_query)
        }
    }
}

/// Encodes a list's parameters (without `page`) for `Paginated::base_query` and sort links;
/// empty values are left out.
pub fn query_string(params: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_checked_with_a_message() {
        assert!(PageRequest::parse(Some(0)).is_err());
        assert!(PageRequest::parse(Some(MAX_PAGE + 1)).is_err());
        assert_eq!(PageRequest::parse(None).unwrap().offset(), 0);
        assert_eq!(PageRequest::parse(Some(3)).unwrap().offset(), 50);
    }

    #[test]
    fn links_keep_the_other_parameters() {
        let page = Paginated::new(
            vec![("a", 60i64)],
            PageRequest::parse(Some(2)).unwrap(),
            query_string(&[("q", "ada obi"), ("status", "")]),
        );
        assert_eq!(page.pages(), 3);
        assert_eq!(page.href(3), "?q=ada+obi&page=3");
        assert!(page.has_previous() && page.has_next());
        assert_eq!((page.first_shown(), page.last_shown()), (26, 26));
    }
}
