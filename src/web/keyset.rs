//! Paging by key for the lists that grow without bound (students, enrollments): a page starts
//! after (or ends before) a row named by its id, so page 2,000 costs what page 1 costs. An offset
//! would make the database walk every earlier row on each request.
//!
//! A list reads one row more than it shows, in the direction of travel; that extra row says
//! whether there is more. Totals are exact where a running count has them and bounded otherwise.

use serde::Deserialize;
use uuid::Uuid;

use super::pagination::PER_PAGE;
use crate::error::AppError;

/// Rows a bounded count reads at most; beyond it the list says "more than".
pub const COUNT_BOUND: i64 = 1_000;

/// `?after=<id>`, `?before=<id>` or `?last=1` of a list request.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
pub struct CursorParams {
    pub after: String,
    pub before: String,
    pub last: String,
}

/// Where the page lies in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    First,
    After(Uuid),
    Before(Uuid),
    Last,
}

impl Cursor {
    pub fn parse(params: &CursorParams) -> Result<Self, AppError> {
        let id = |raw: &str| {
            raw.trim()
                .parse::<Uuid>()
                .map_err(|_| AppError::bad_request("That page link is not valid."))
        };
        match (
            params.after.as_str(),
            params.before.as_str(),
            params.last.as_str(),
        ) {
            ("", "", "") => Ok(Cursor::First),
            (after, "", "") => Ok(Cursor::After(id(after)?)),
            ("", before, "") => Ok(Cursor::Before(id(before)?)),
            ("", "", _) => Ok(Cursor::Last),
            _ => Err(AppError::bad_request("That page link is not valid.")),
        }
    }

    /// True when the rows are read against the list order (towards its start).
    pub fn backward(self) -> bool {
        matches!(self, Cursor::Before(_) | Cursor::Last)
    }

    /// The row the page starts after or ends before.
    pub fn key(self) -> Option<Uuid> {
        match self {
            Cursor::After(id) | Cursor::Before(id) => Some(id),
            Cursor::First | Cursor::Last => None,
        }
    }

    /// How many rows to read: one page and the row that says whether there is more.
    pub fn limit(self) -> i64 {
        PER_PAGE + 1
    }
}

/// The size of a filtered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exact(i64),
    /// At least this many (a bounded count stopped here).
    AtLeast(i64),
}

impl Total {
    /// From a count that read at most `COUNT_BOUND + 1` rows.
    pub fn bounded(counted: i64) -> Self {
        if counted > COUNT_BOUND {
            Total::AtLeast(COUNT_BOUND)
        } else {
            Total::Exact(counted)
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Total::Exact(0)
    }

    /// "1,204" or "more than 1,000".
    pub fn describe(&self) -> String {
        match self {
            Total::Exact(n) => super::format::thousands(*n),
            Total::AtLeast(n) => format!("more than {}", super::format::thousands(*n)),
        }
    }
}

/// A row a cursor can name.
pub trait Keyed {
    fn key(&self) -> Uuid;
}

/// One page of a keyset list and its links.
#[derive(Debug)]
pub struct KeysetPage<T> {
    pub items: Vec<T>,
    pub total: Total,
    has_previous: bool,
    has_next: bool,
    /// The list's query string without the cursor, e.g. `q=ada&status=active`.
    base_query: String,
}

impl<T: Keyed> KeysetPage<T> {
    /// `rows` as read for `cursor` (up to `cursor.limit()`, in the direction of travel).
    pub fn new(cursor: Cursor, mut rows: Vec<T>, total: Total, base_query: String) -> Self {
        let more = rows.len() as i64 > PER_PAGE;
        rows.truncate(PER_PAGE as usize);
        if cursor.backward() {
            rows.reverse();
        }
        let (has_previous, has_next) = match cursor {
            Cursor::First => (false, more),
            Cursor::After(_) => (true, more),
            Cursor::Before(_) => (more, true),
            Cursor::Last => (more, false),
        };
        Self {
            items: rows,
            total,
            has_previous,
            has_next,
            base_query,
        }
    }

    pub fn has_previous(&self) -> bool {
        self.has_previous
    }

    pub fn has_next(&self) -> bool {
        self.has_next
    }

    pub fn first_href(&self) -> String {
        self.link("")
    }

    pub fn last_href(&self) -> String {
        self.link("last=1")
    }

    pub fn previous_href(&self) -> String {
        match self.items.first() {
            Some(row) => self.link(&format!("before={}", row.key())),
            None => self.last_href(),
        }
    }

    pub fn next_href(&self) -> String {
        match self.items.last() {
            Some(row) => self.link(&format!("after={}", row.key())),
            None => self.first_href(),
        }
    }

    fn link(&self, cursor: &str) -> String {
        match (self.base_query.is_empty(), cursor.is_empty()) {
            (true, true) => "?".into(),
            (true, false) => format!("?{cursor}"),
            (false, true) => format!("?{}", self.base_query),
            (false, false) => format!("?{}&{cursor}", self.base_query),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row(Uuid);
    impl Keyed for Row {
        fn key(&self) -> Uuid {
            self.0
        }
    }

    fn rows(n: usize) -> Vec<Row> {
        (0..n).map(|_| Row(Uuid::new_v4())).collect()
    }

    #[test]
    fn the_extra_row_says_there_is_more_in_the_direction_of_travel() {
        let full = PER_PAGE as usize + 1;
        let first = KeysetPage::new(Cursor::First, rows(full), Total::Exact(60), String::new());
        assert_eq!(first.items.len(), PER_PAGE as usize);
        assert!(!first.has_previous() && first.has_next());

        let end = KeysetPage::new(
            Cursor::After(Uuid::nil()),
            rows(3),
            Total::Exact(60),
            "q=a".into(),
        );
        assert!(end.has_previous() && !end.has_next());
        assert_eq!(
            end.previous_href(),
            format!("?q=a&before={}", end.items[0].0)
        );

        let back = rows(full);
        let nearest = back[0].0;
        let page = KeysetPage::new(
            Cursor::Before(Uuid::nil()),
            back,
            Total::Exact(60),
            String::new(),
        );
        assert!(page.has_previous() && page.has_next());
        assert_eq!(
            page.items.last().unwrap().0,
            nearest,
            "rows read backwards are shown in list order"
        );

        let last = KeysetPage::new(Cursor::Last, rows(10), Total::Exact(10), String::new());
        assert!(!last.has_previous() && !last.has_next());
    }

    #[test]
    fn cursors_parse_from_one_parameter_only() {
        let id = Uuid::new_v4();
        let params = |after: &str, before: &str, last: &str| CursorParams {
            after: after.into(),
            before: before.into(),
            last: last.into(),
        };
        assert_eq!(Cursor::parse(&params("", "", "")).unwrap(), Cursor::First);
        assert_eq!(
            Cursor::parse(&params(&id.to_string(), "", "")).unwrap(),
            Cursor::After(id)
        );
        assert_eq!(
            Cursor::parse(&params("", &id.to_string(), "")).unwrap(),
            Cursor::Before(id)
        );
        assert_eq!(Cursor::parse(&params("", "", "1")).unwrap(), Cursor::Last);
        assert!(Cursor::parse(&params("nope", "", "")).is_err());
        assert!(Cursor::parse(&params(&id.to_string(), &id.to_string(), "")).is_err());
    }

    #[test]
    fn a_bounded_count_says_more_than() {
        assert_eq!(Total::bounded(12), Total::Exact(12));
        assert_eq!(Total::bounded(COUNT_BOUND + 1), Total::AtLeast(COUNT_BOUND));
        assert_eq!(
            Total::bounded(COUNT_BOUND + 1).describe(),
            "more than 1,000"
        );
    }
}
