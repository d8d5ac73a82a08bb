//! A request to enroll one student, as the form and the bulk page hand it to admission and creation.

use chrono::NaiveDate;
use uuid::Uuid;

/// A checked request to enroll one student.
#[derive(Debug, Clone)]
pub struct Enrollment {
    pub student_id: Uuid,
    pub course_id: Uuid,
    pub facility_id: Uuid,
    pub age_group: String,
    pub location_type: String,
    pub session_type: String,
    pub enrollment_date: NaiveDate,
    pub assignment_notes: String,
    /// The class the student joins, if any (its course, facility and configuration are these).
    pub class_id: Option<Uuid>,
    /// Join the class's waitlist when it is full, instead of being refused.
    pub waitlist: bool,
}
