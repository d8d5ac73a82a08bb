//! Redirects, and the one check every redirect target taken from a request passes (`next`,
//! `return_to`...): only a path on this site, never another host.

use actix_web::{http::header, HttpRequest, HttpResponse};

/// A 303 "see other" redirect, the answer to a successful plain form post.
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Redirects a plain request, or tells htmx to navigate the whole page there.
pub fn redirect_for(req: &HttpRequest, location: &str) -> HttpResponse {
    if super::is_htmx(req) {
        HttpResponse::Ok()
            .insert_header(("HX-Redirect", location))
            .finish()
    } else {
        redirect(location)
    }
}

/// `path` if it is a path on this site, for "return to" parameters; `None` sends the caller to
/// its default page. Browsers read `//host`, `/\host` and `/\t/host` (they drop tabs and
/// newlines from URLs) as another host, and a header value cannot hold a control character at
/// all, so: one leading `/`, no `/` or `\` right after it, no `\` and no control character
/// anywhere.
pub fn local_path(path: &str) -> Option<String> {
    let mut chars = path.chars();
    let ok = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    ok.then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_redirect_targets() {
        for ok in [
            "/",
            "/students",
            "/students?page=2&q=a%20b",
            "/courses/1/edit#x",
        ] {
            assert_eq!(local_path(ok).as_deref(), Some(ok), "{ok:?}");
        }
        for bad in [
            "",
            "students",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/a\u{0}b",
            "/a\u{7f}",
            "/a\u{85}",
            "/a\\b",
            "https://evil.example",
            "\t/evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
