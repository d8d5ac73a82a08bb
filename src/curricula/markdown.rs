//! Lesson content: plain text or Markdown, rendered so that nothing a tutor types can run. Raw
//! HTML in the text is shown as text (escaped), and links or images may only point to http(s),
//! mailto or this site.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

pub fn render(source: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(source, options).map(|event| match event {
        // Raw HTML becomes text: pulldown-cmark escapes it on output.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// The URL if its scheme is harmless (or it has none: a path on this site), else `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| lower[i..].starts_with(':'));
    let allowed = !has_scheme
        || lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("mailto:");
    if allowed {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_raw_html_is_escaped() {
        let out = render(
            "# Warm-up\n\n*Kick* drills <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
        );
        assert!(out.contains("<h1>Warm-up</h1>"));
        assert!(out.contains("<em>Kick</em>"));
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"));
    }

    #[test]
    fn links_with_dangerous_schemes_are_neutralised() {
        let out = render(
            "[a](javascript:alert(1)) [b](https://example.com) [c](/courses) [d](data:text/html,x)",
        );
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(out.contains("href=\"https://example.com\""));
        assert!(out.contains("href=\"/courses\""));
    }

    #[test]
    fn plain_text_stays_text() {
        assert_eq!(
            render("Breathing & floating"),
            "<p>Breathing &amp; floating</p>\n"
        );
    }
}
