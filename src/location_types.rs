//! The fixed location types of docs/decisions.md: where a course's sessions happen.

/// (code, label), in the order forms and matrices show them.
pub const LOCATION_TYPES: &[(&str, &str)] = &[
    ("our-facility", "Our facility"),
    ("client-location", "Client location"),
    ("virtual", "Virtual"),
];

pub fn is_valid(code: &str) -> bool {
    LOCATION_TYPES.iter().any(|(c, _)| *c == code)
}

/// The label of a code; the code itself if unknown.
pub fn label(code: &str) -> &str {
    LOCATION_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}
