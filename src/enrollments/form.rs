//! The enrollment form: what was chosen so far, and everything the form shows for it (offered
//! configurations, facilities with a price in force, the price, warnings), computed in one place
//! for the page, its live htmx refresh and the re-render after a refusal.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use super::{configuration, request::Enrollment};
use crate::{
    access::ProgramScope,
    error::AppResult,
    offerings::{Choice, Choices},
    pricing::{self, FacilityPrice},
    schema::{facilities, students},
    web::{form::FieldErrors, format},
};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EnrollForm {
    pub student_id: String,
    pub student_search: String,
    pub course_id: String,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    pub facility_id: String,
    pub enrollment_date: String,
    pub assignment_notes: String,
    /// A class of the configuration at the facility, or empty for none.
    pub class_id: String,
    /// `yes`: join the waitlist of a full class.
    pub waitlist: String,
}

impl EnrollForm {
    pub fn validate(&self) -> Result<Enrollment, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut id = |field: &'static str, value: &str, what: &str| match value.parse::<Uuid>() {
            Ok(id) => id,
            Err(_) => {
                errors.add(field, format!("Choose {what}."));
                Uuid::nil()
            }
        };
        let student_id = id("student_id", &self.student_id, "a student");
        let course_id = id("course_id", &self.course_id, "a course");
        let facility_id = id("facility_id", &self.facility_id, "a facility with a price");
        for (field, value, what) in [
            ("age_group", &self.age_group, "an age group"),
            ("location_type", &self.location_type, "a location type"),
            ("session_type", &self.session_type, "a session type"),
        ] {
            if value.trim().is_empty() {
                errors.add(field, format!("Choose {what}."));
            }
        }
        let enrollment_date = self
            .enrollment_date
            .trim()
            .parse::<NaiveDate>()
            .unwrap_or_else(|_| {
                errors.add("enrollment_date", "Enter a date like 2026-09-01.");
                NaiveDate::MIN
            });
        let class_id = match self.class_id.trim() {
            "" => None,
            raw => match raw.parse::<Uuid>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("class_id", "Choose a class.");
                    None
                }
            },
        };
        if self.assignment_notes.chars().count() > 2000 {
            errors.add("assignment_notes", "Use at most 2000 characters.");
        }
        errors.into_result(Enrollment {
            student_id,
            course_id,
            facility_id,
            age_group: self.age_group.trim().into(),
            location_type: self.location_type.trim().into(),
            session_type: self.session_type.trim().into(),
            enrollment_date,
            assignment_notes: self.assignment_notes.trim().into(),
            class_id,
            waitlist: self.waitlist == "yes",
        })
    }
}

pub struct StudentPick {
    pub id: Uuid,
    pub label: String,
    pub suggested_age_group: Option<String>,
}

pub struct FacilityOption {
    pub id: Uuid,
    pub name: String,
    pub price: String,
    pub active: i64,
    pub capacity: i32,
}

impl FacilityOption {
    pub fn full(&self) -> bool {
        self.active >= self.capacity as i64
    }
}

/// Everything the form shows.
pub struct EnrollView {
    pub form: EnrollForm,
    pub errors: FieldErrors,
    pub student: Option<StudentPick>,
    pub courses: Vec<(Uuid, String)>,
    pub offerings: Option<Choices>,
    pub facilities: Vec<FacilityOption>,
    pub price: Option<String>,
    pub warnings: Vec<String>,
    /// The classes of the chosen configuration at the chosen facility.
    pub classes: Vec<crate::classes::ClassLine>,
    /// The chosen class is full: the form offers its waitlist.
    pub class_full: bool,
    /// For the plain (non-htmx) post: the session's CSRF token and the page's program.
    pub csrf_token: String,
    pub program_context: String,
    /// Where the form's live parts ask for a fresh rendering, and the form they replace.
    pub refresh_url: &'static str,
    pub form_id: &'static str,
}

impl EnrollView {
    pub fn is(&self, value: &str, selected: &str) -> bool {
        value == selected
    }
    pub fn age_groups(&self) -> &[Choice] {
        self.offerings.as_ref().map_or(&[], |o| &o.age_groups)
    }
    pub fn location_types(&self) -> &[Choice] {
        self.offerings.as_ref().map_or(&[], |o| &o.location_types)
    }
    pub fn session_types(&self) -> &[Choice] {
        self.offerings.as_ref().map_or(&[], |o| &o.session_types)
    }
    pub fn suggested(&self, code: &str) -> bool {
        self.student
            .as_ref()
            .and_then(|s| s.suggested_age_group.as_deref())
            == Some(code)
    }
}

/// Builds the view of `form` as chosen so far; choices that no longer fit are dropped, the first
/// (or suggested) remaining option is taken, so every answer is a consistent form.
pub fn view(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    mut form: EnrollForm,
    errors: FieldErrors,
    today: NaiveDate,
) -> AppResult<EnrollView> {
    let on = form.enrollment_date.parse::<NaiveDate>().unwrap_or(today);
    if form.enrollment_date.trim().is_empty() {
        form.enrollment_date = today.to_string();
    }
    let student = match form.student_id.parse::<Uuid>() {
        Ok(id) => pick(conn, scope, id, on)?,
        Err(_) => None,
    };
    if student.is_none() {
        form.student_id.clear();
    }
    let courses = configuration::active_courses(conn, scope)?;
    let course_id = form
        .course_id
        .parse::<Uuid>()
        .ok()
        .filter(|id| courses.iter().any(|(c, _)| c == id));
    let mut warnings = Vec::new();
    let mut facilities_out = Vec::new();
    let mut price = None;
    let mut classes: Vec<crate::classes::ClassLine> = Vec::new();
    let offerings = match course_id {
        None => {
            form.course_id.clear();
            None
        }
        Some(course_id) => {
            let offerings = Choices::of_course(conn, scope, course_id)?;
            let suggested = student.as_ref().and_then(|s| s.suggested_age_group.clone());
            keep_or_default(
                &mut form.age_group,
                &offerings.age_groups,
                suggested.as_deref(),
            );
            keep_or_default(&mut form.location_type, &offerings.location_types, None);
            keep_or_default(&mut form.session_type, &offerings.session_types, None);
            if let (Some(s), false) = (&suggested, form.age_group.is_empty()) {
                if *s != form.age_group {
                    warnings.push(format!(
                        "By date of birth this student belongs to age group {s}; you chose {}.",
                        form.age_group
                    ));
                }
            }
            let priced = pricing::facilities_with_price(
                conn,
                scope,
                course_id,
                &form.age_group,
                &form.location_type,
                &form.session_type,
                on,
            )?;
            facilities_out = with_load(conn, scope, priced)?;
            if !facilities_out
                .iter()
                .any(|f| f.id.to_string() == form.facility_id)
            {
                form.facility_id = facilities_out
                    .first()
                    .map(|f| f.id.to_string())
                    .unwrap_or_default();
            }
            if let Some(chosen) = facilities_out
                .iter()
                .find(|f| f.id.to_string() == form.facility_id)
            {
                price = Some(chosen.price.clone());
                let key = pricing::PriceKey {
                    facility_id: chosen.id,
                    course_id,
                    age_group: form.age_group.clone(),
                    location_type: form.location_type.clone(),
                    session_type: form.session_type.clone(),
                };
                classes = crate::classes::matching(conn, scope, &key)?;
                if chosen.full() {
                    warnings.push(format!(
                        "{} is at or over capacity: {} active enrollments for {} places.",
                        chosen.name, chosen.active, chosen.capacity
                    ));
                }
            }
            Some(offerings)
        }
    };
    let chosen = classes
        .iter()
        .find(|c| c.class.id.to_string() == form.class_id);
    let class_full = chosen.is_some_and(|c| c.is_full());
    if chosen.is_none() {
        form.class_id.clear();
    }
    Ok(EnrollView {
        form,
        errors,
        student,
        courses,
        offerings,
        facilities: facilities_out,
        price,
        warnings,
        class_full,
        classes,
        csrf_token: String::new(),
        program_context: scope.program_id().to_string(),
        refresh_url: "/enrollments/form",
        form_id: "enroll-form",
    })
}

fn keep_or_default(value: &mut String, choices: &[Choice], preferred: Option<&str>) {
    if !choices.iter().any(|c| c.code == *value) {
        *value = preferred
            .filter(|p| choices.iter().any(|c| c.code == *p))
            .map(str::to_string)
            .or_else(|| choices.first().map(|c| c.code.clone()))
            .unwrap_or_default();
    }
}

fn pick(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    id: Uuid,
    on: NaiveDate,
) -> AppResult<Option<StudentPick>> {
    let found: Option<(String, String, String, Option<NaiveDate>)> = scope
        .students()
        .filter(students::id.eq(id))
        .select((
            students::student_id,
            students::first_name,
            students::last_name,
            students::date_of_birth,
        ))
        .first(conn)
        .optional()?;
    let Some((code, first, last, born)) = found else {
        return Ok(None);
    };
    let suggested_age_group = match born {
        Some(born) => configuration::age_group_for(conn, scope, configuration::age_on(born, on))?,
        None => None,
    };
    Ok(Some(StudentPick {
        id,
        label: format!("{first} {last} ({code})"),
        suggested_age_group,
    }))
}

/// Adds each facility's active enrollments and capacity, in two small queries.
fn with_load(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    priced: Vec<FacilityPrice>,
) -> AppResult<Vec<FacilityOption>> {
    let ids: Vec<Uuid> = priced.iter().map(|f| f.facility_id).collect();
    let capacities: HashMap<Uuid, i32> = scope
        .facilities()
        .filter(facilities::id.eq_any(&ids))
        .select((facilities::id, facilities::capacity))
        .load::<(Uuid, i32)>(conn)?
        .into_iter()
        .collect();
    let loads = super::counts::active_by_facility(conn, scope, &ids)?;
    Ok(priced
        .into_iter()
        .map(|f| FacilityOption {
            id: f.facility_id,
            price: format::money(&f.price),
            active: loads.get(&f.facility_id).copied().unwrap_or(0),
            capacity: capacities.get(&f.facility_id).copied().unwrap_or(0),
            name: f.facility_name,
        })
        .collect())
}

/// Students matching a search, for the search-as-you-type picker (active ones, at most ten).
pub fn search_students(
    conn: &mut PgConnection,
    scope: &ProgramScope,
    term: &str,
) -> AppResult<Vec<(Uuid, String)>> {
    if term.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    // The same search as the student list, through its trigram index.
    let rows: Vec<(Uuid, String, String, String)> = crate::students::search(scope, term)
        .filter(students::status.eq(crate::students::StudentStatus::Active))
        .order((students::last_name.asc(), students::first_name.asc()))
        .limit(10)
        .select((
            students::id,
            students::student_id,
            students::first_name,
            students::last_name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, code, first, last)| (id, format!("{first} {last} ({code})")))
        .collect())
}
