//! A record's history as its panel shows it: who, when, what happened and each changed value.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use crate::{
    access::ProgramScope,
    pg_enum,
    schema::{history as h, sql_types, users},
};

pg_enum! {
    /// `history.action`.
    pub enum HistoryAction: sql_types::HistoryAction {
        Insert = "insert",
        Update = "update",
        Delete = "delete",
    }
}

/// One change of a record.
pub struct Entry {
    pub changed_at: DateTime<Utc>,
    /// The user's name; none for the app's own commands.
    pub actor: Option<String>,
    pub action: HistoryAction,
    pub table_name: String,
    /// Each column shown: its label, the value before and after ("" when there is none).
    pub fields: Vec<(String, String, String)>,
}

impl Entry {
    /// "Created", "Changed", "Deleted", with what: "Enrollment changed".
    pub fn what(&self) -> String {
        let verb = match self.action {
            HistoryAction::Insert => "created",
            HistoryAction::Update => "changed",
            HistoryAction::Delete => "deleted",
        };
        format!("{} {verb}", kind_label(&self.table_name))
    }
    pub fn actor_name(&self) -> &str {
        self.actor
            .as_deref()
            .unwrap_or("The app (set-up or import)")
    }
    pub fn is_update(&self) -> bool {
        self.action == HistoryAction::Update
    }
    /// The changed values in one line: "Phone: 0801 → 0802; Status: active → paused".
    pub fn summary(&self) -> String {
        self.fields
            .iter()
            .map(|(label, old, new)| match self.action {
                HistoryAction::Update => format!("{label}: {old} → {new}"),
                HistoryAction::Insert => format!("{label}: {new}"),
                HistoryAction::Delete => format!("{label}: {old}"),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
    /// The page of the record `id` changed, while it exists and has one.
    pub fn link(&self, id: Uuid) -> Option<String> {
        if self.action == HistoryAction::Delete {
            return None;
        }
        match table(&self.table_name)?.page {
            Page::Of(kind) => Some(kind.page(id)),
            Page::Payment => Some(format!("/payments/{id}")),
            Page::None => None,
        }
    }
}

/// Where a recorded table's record is shown.
#[derive(Clone, Copy)]
enum Page {
    None,
    Of(Kind),
    Payment,
}

/// A recorded table: its name, what one record is called, what the activity page's filter calls
/// them, and where a record is shown (a course's offerings on the course's page).
pub struct Table {
    pub name: &'static str,
    one: &'static str,
    pub many: &'static str,
    page: Page,
}

const fn t(name: &'static str, one: &'static str, many: &'static str, page: Page) -> Table {
    Table {
        name,
        one,
        many,
        page,
    }
}

/// The recorded tables, in the order the activity page's filter lists them.
pub const TABLES: &[Table] = &[
    t("students", "Student", "Students", Page::Of(Kind::Student)),
    t(
        "guardians",
        "Guardian",
        "Guardians",
        Page::Of(Kind::Guardian),
    ),
    t(
        "student_guardians",
        "Guardian's child",
        "Guardians' children",
        Page::None,
    ),
    t(
        "course_enrollments",
        "Enrollment",
        "Enrollments",
        Page::Of(Kind::Enrollment),
    ),
    t("classes", "Class", "Classes", Page::Of(Kind::Class)),
    t("class_times", "Class time", "Class times", Page::None),
    t("class_sessions", "Session", "Sessions", Page::None),
    t("attendance", "Attendance mark", "Attendance", Page::None),
    t("courses", "Course", "Courses", Page::Of(Kind::Course)),
    t(
        "course_age_groups",
        "Course's age group",
        "Courses' age groups",
        Page::Of(Kind::Course),
    ),
    t(
        "course_location_types",
        "Course's location type",
        "Courses' location types",
        Page::Of(Kind::Course),
    ),
    t(
        "course_session_types",
        "Course's session type",
        "Courses' session types",
        Page::Of(Kind::Course),
    ),
    t(
        "course_tutors",
        "Course's tutor",
        "Courses' tutors",
        Page::None,
    ),
    t(
        "facilities",
        "Facility",
        "Facilities",
        Page::Of(Kind::Facility),
    ),
    t("facility_course_pricing", "Price", "Prices", Page::None),
    t("invoices", "Invoice", "Invoices", Page::Of(Kind::Invoice)),
    t("invoice_lines", "Invoice line", "Invoice lines", Page::None),
    t("payments", "Payment", "Payments", Page::Payment),
    t(
        "payment_allocations",
        "Payment's allocation",
        "Payments' allocations",
        Page::None,
    ),
    t("charges", "One-off charge", "One-off charges", Page::None),
    t("program_closures", "Closure", "Closures", Page::None),
    t("billing_terms", "Billing term", "Billing terms", Page::None),
    t(
        "user_program_assignments",
        "Team member",
        "Team",
        Page::None,
    ),
];

/// The recorded table named `name`.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// A history row as read: when, who, what, which table, the values.
pub(super) type Raw = (DateTime<Utc>, Option<String>, HistoryAction, String, Value);

/// The columns of `Raw`, the actor's name by a subquery.
macro_rules! raw_select {
    () => {
        (
            h::changed_at,
            // The user's name, or their username when they have none.
            users::table
                .filter(users::id.nullable().eq(h::actor_id))
                .select(users::full_name.concat("|").concat(users::username))
                .single_value(),
            h::action,
            h::table_name,
            h::changes,
        )
    };
}
pub(super) use raw_select;

pub(super) fn entry((changed_at, actor, action, table_name, changes): Raw) -> Entry {
    let actor = actor.map(|both| match both.rsplit_once('|') {
        Some(("", username)) => username.to_string(),
        Some((name, _)) => name.to_string(),
        None => both,
    });
    Entry {
        fields: fields(action, &changes),
        changed_at,
        actor,
        action,
        table_name,
    }
}

/// The newest `limit` changes of the record `id` (and of rows named by it: a course's offerings),
/// newest first.
pub fn of_record(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    limit: i64,
) -> QueryResult<Vec<Entry>> {
    let rows: Vec<Raw> = scope
        .history()
        .filter(h::record_id.eq(id))
        .order(h::id.desc())
        .limit(limit)
        .select(raw_select!())
        .load(conn)?;
    Ok(rows.into_iter().map(entry).collect())
}

/// The columns worth showing, by label: not the ids that only tie rows together.
fn fields(action: HistoryAction, changes: &Value) -> Vec<(String, String, String)> {
    let Value::Object(columns) = changes else {
        return Vec::new();
    };
    columns
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "id" | "program_id"))
        .map(|(name, value)| {
            let (old, new) = match (action, value) {
                (HistoryAction::Update, Value::Array(pair)) if pair.len() == 2 => {
                    (shown(&pair[0]), shown(&pair[1]))
                }
                (HistoryAction::Delete, v) => (shown(v), String::new()),
                (_, v) => (String::new(), shown(v)),
            };
            (label(name), old, new)
        })
        .collect()
}

/// A value as text: strings as they are, numbers as written, true/false as Yes/No.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "Yes".into(),
        Value::Bool(false) => "No".into(),
        Value::Number(n) => n.to_string(),
        // The JSON fields (address, medical information): "City: Lagos, Country: Nigeria".
        Value::Object(fields) => fields
            .iter()
            .map(|(name, v)| (label(name), shown(v)))
            .filter(|(_, v)| !v.is_empty())
            .map(|(name, v)| format!("{name}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
    }
}

/// `emergency_contact_phone` → "Emergency contact phone"; `class_id` → "Class".
fn label(column: &str) -> String {
    let words = column
        .strip_suffix("_id")
        .unwrap_or(column)
        .replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a table's record is called.
fn kind_label(table_name: &str) -> &str {
    table(table_name).map_or("Record", |t| t.one)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_shows_each_changed_column_old_and_new_by_its_label() {
        let changes = serde_json::json!({
            "phone": ["0801", "0802"],
            "class_id": [null, "01a2"],
            "is_active": [true, false],
            "id": ["x", "y"]
        });
        let address =
            serde_json::json!({"line1": "3 Adeola Odeku Street", "line2": "", "city": "Lagos"});
        assert_eq!(shown(&address), "City: Lagos, Line1: 3 Adeola Odeku Street");
        let mut shown = fields(HistoryAction::Update, &changes);
        shown.sort();
        assert_eq!(
            shown,
            vec![
                ("Class".into(), "".into(), "01a2".into()),
                ("Is active".into(), "Yes".into(), "No".into()),
                ("Phone".into(), "0801".into(), "0802".into()),
            ]
        );
    }
}

/// The records that have a History panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Student,
    Enrollment,
    Class,
    Course,
    Facility,
    Invoice,
    Guardian,
}

impl Kind {
    /// The record's own page.
    pub fn page(self, id: Uuid) -> String {
        match self {
            Kind::Student => format!("/students/{id}"),
            Kind::Enrollment => format!("/enrollments/{id}/fee"),
            Kind::Class => format!("/classes/{id}"),
            Kind::Course => format!("/courses/{id}"),
            Kind::Facility => format!("/facilities/{id}"),
            Kind::Invoice => format!("/invoices/{id}"),
            Kind::Guardian => format!("/guardians/{id}"),
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Student => "student",
            Kind::Enrollment => "enrollment",
            Kind::Class => "class",
            Kind::Course => "course",
            Kind::Facility => "facility",
            Kind::Invoice => "invoice",
            Kind::Guardian => "guardian",
        }
    }
}

/// The page of `id`, a record of this kind in the scope's program (another program's is none):
/// the record's own page, or for an enrollment its student's.
pub fn page_of(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    kind: Kind,
    id: Uuid,
) -> QueryResult<Option<String>> {
    use crate::schema::{
        classes, course_enrollments, courses, facilities, guardians, invoices, students,
    };
    let found: Option<Uuid> = match kind {
        Kind::Student => scope
            .students()
            .find(id)
            .select(students::id)
            .first(conn)
            .optional()?,
        Kind::Enrollment => {
            let student = scope
                .course_enrollments()
                .find(id)
                .select(course_enrollments::student_id)
                .first::<Uuid>(conn)
                .optional()?;
            return Ok(student.map(|s| format!("/students/{s}")));
        }
        Kind::Class => scope
            .classes()
            .find(id)
            .select(classes::id)
            .first(conn)
            .optional()?,
        Kind::Course => scope
            .courses()
            .find(id)
            .select(courses::id)
            .first(conn)
            .optional()?,
        Kind::Facility => scope
            .facilities()
            .find(id)
            .select(facilities::id)
            .first(conn)
            .optional()?,
        Kind::Invoice => scope
            .invoices()
            .find(id)
            .select(invoices::id)
            .first(conn)
            .optional()?,
        Kind::Guardian => scope
            .guardians()
            .find(id)
            .select(guardians::id)
            .first(conn)
            .optional()?,
    };
    Ok(found.map(|id| kind.page(id)))
}
