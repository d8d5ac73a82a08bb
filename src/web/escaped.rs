//! Text escaped for HTML once, for a value a page writes many times: a pricing matrix writes each
//! course, age group and session type label into hundreds of cells, and escaping them there was a
//! tenth of the matrix's time in the app.

use std::{fmt, sync::Arc};

use askama::filters::{Escaper, Html, HtmlSafe};

/// HTML-escaped text, written by templates as is. Only `Escaped::new` makes one, and it escapes,
/// so a value of this type is always safe to write into an element or an attribute.
#[derive(Debug, Clone)]
pub struct Escaped(Arc<str>);

impl Escaped {
    pub fn new(text: &str) -> Self {
        let mut escaped = String::with_capacity(text.len());
        // Writing into a String cannot fail.
        let _ = Html.write_escaped_str(&mut escaped, text);
        Self(escaped.into())
    }
}

impl fmt::Display for Escaped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl HtmlSafe for Escaped {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_html_would_read_as_markup() {
        assert_eq!(
            Escaped::new(r#"Tom & "Jerry" <b>'s</b>"#).to_string(),
            "Tom &#38; &#34;Jerry&#34; &#60;b&#62;&#39;s&#60;/b&#62;"
        );
        assert_eq!(Escaped::new("Ages 6-8").to_string(), "Ages 6-8");
    }
}
