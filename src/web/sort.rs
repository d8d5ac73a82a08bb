//! The order of a list, from its `?sort=` parameter: a column, ascending (`name`) or descending
//! (`-name`). One type for every list, and one template macro for its column headers
//! (`partials/sort.html`): a header links to its column, the other way round when it is the
//! current one, and carries `aria-sort`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: &'static str,
    pub descending: bool,
}

/// By name, the usual first order of a list.
impl Default for Sort {
    fn default() -> Self {
        Sort::ascending("name")
    }
}

impl Sort {
    pub const fn ascending(key: &'static str) -> Self {
        Self {
            key,
            descending: false,
        }
    }

    pub const fn descending(key: &'static str) -> Self {
        Self {
            key,
            descending: true,
        }
    }

    /// `raw` when it names one of `keys` (`name` or `-name`); `default` when it is empty; `None`
    /// for anything else.
    pub fn parse(raw: &str, keys: &[&'static str], default: Sort) -> Option<Sort> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Some(default);
        }
        let (name, descending) = match raw.strip_prefix('-') {
            Some(name) => (name, true),
            None => (raw, false),
        };
        keys.iter()
            .find(|k| **k == name)
            .map(|key| Sort { key, descending })
    }

    /// The `sort` parameter that names this order.
    pub fn param(&self) -> String {
        if self.descending {
            format!("-{}", self.key)
        } else {
            self.key.to_string()
        }
    }

    /// What the header of column `key` links to: that column, or the other way round when it is
    /// the current one.
    pub fn link(&self, key: &str) -> String {
        if key == self.key && !self.descending {
            format!("-{key}")
        } else {
            key.to_string()
        }
    }

    /// `aria-sort` of the header of column `key`.
    pub fn aria(&self, key: &str) -> &'static str {
        match (key == self.key, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Sort;

    #[test]
    fn a_column_sorts_both_ways_and_says_which() {
        let keys = &["name", "level"];
        let default = Sort::ascending("name");
        assert_eq!(Sort::parse("", keys, default), Some(default));
        assert_eq!(
            Sort::parse("-level", keys, default),
            Some(Sort::descending("level"))
        );
        assert_eq!(Sort::parse("colour", keys, default), None);
        let by_name = Sort::ascending("name");
        assert_eq!(by_name.link("name"), "-name");
        assert_eq!(Sort::descending("name").link("name"), "name");
        assert_eq!(by_name.link("level"), "level");
        assert_eq!(by_name.aria("name"), "ascending");
        assert_eq!(Sort::descending("name").aria("name"), "descending");
        assert_eq!(by_name.aria("level"), "none");
        assert_eq!(Sort::descending("level").param(), "-level");
    }
}
