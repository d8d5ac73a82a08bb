//! The one boundary check on what a request carries: no control character in a query parameter
//! or a form field. PostgreSQL refuses NUL in text and a header refuses a newline, so such a
//! byte would otherwise surface as a 500 somewhere deep; no field of ours needs one. Form fields
//! may hold tabs and line breaks (text areas send `\r\n`); query parameters may not.

use crate::error::AppError;

/// Refuses a query string with a control character in any name or value.
pub fn check_query(query: &str) -> Result<(), AppError> {
    match form_urlencoded::parse(query.as_bytes())
        .find(|(name, value)| has_control(name, false) || has_control(value, false))
    {
        Some(_) => Err(AppError::bad_request(
            "The address contains a control character (such as NUL or a line break), which no page accepts. Nothing was changed.",
        )),
        None => Ok(()),
    }
}

/// Refuses a url-encoded form body with a control character other than a tab or a line break.
pub fn check_form(body: &[u8]) -> Result<(), AppError> {
    match form_urlencoded::parse(body)
        .find(|(name, value)| has_control(name, false) || has_control(value, true))
    {
        Some((name, _)) => Err(AppError::RefusedField {
            field: name.into_owned(),
        }),
        None => Ok(()),
    }
}

fn has_control(text: &str, multi_line: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(multi_line && matches!(c, '\t' | '\n' | '\r')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_where_no_field_needs_them() {
        assert!(check_query("q=ada&page=2").is_ok());
        assert!(check_query("q=ad%C3%A9").is_ok());
        assert!(
            check_query("q=%ED%A0%80").is_ok(),
            "invalid UTF-8 reads as U+FFFD"
        );
        for bad in [
            "q=%00",
            "q=a%0Ab",
            "next=/%09/x",
            "q%00=1",
            "q=%7F",
            "q=%C2%85",
        ] {
            assert!(check_query(bad).is_err(), "{bad}");
        }
        assert!(check_form(b"notes=line+one%0D%0Aline+two%09tabbed").is_ok());
        for bad in [&b"first_name=a%00b"[..], b"first_name=%1B", b"x=%C2%9B"] {
            match check_form(bad) {
                Err(AppError::RefusedField { field }) => assert!(!field.is_empty()),
                other => panic!("{other:?}"),
            }
        }
    }
}
