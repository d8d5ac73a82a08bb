// @generated automatically by Diesel CLI.

pub mod sql_types {
    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "assignment_type"))]
    pub struct AssignmentType;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "attendance_mark"))]
    pub struct AttendanceMark;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "billing_period"))]
    pub struct BillingPeriod;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "class_session_status"))]
    pub struct ClassSessionStatus;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "class_status"))]
    pub struct ClassStatus;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "discount_kind"))]
    pub struct DiscountKind;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "enrollment_status"))]
    pub struct EnrollmentStatus;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "facility_status"))]
    pub struct FacilityStatus;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "facility_type"))]
    pub struct FacilityType;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "contact_method"))]
    pub struct ContactMethod;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "fee_change_kind"))]
    pub struct FeeChangeKind;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "history_action"))]
    pub struct HistoryAction;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "import_status"))]
    pub struct ImportStatus;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "invoice_kind"))]
    pub struct InvoiceKind;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "invoice_run_status"))]
    pub struct InvoiceRunStatus;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "invoice_status"))]
    pub struct InvoiceStatus;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "payment_kind"))]
    pub struct PaymentKind;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "payment_method"))]
    pub struct PaymentMethod;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "student_status"))]
    pub struct StudentStatus;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "user_role"))]
    pub struct UserRole;
}

diesel::table! {
    age_groups (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 32]
        code -> Varchar,
        #[max_length = 80]
        name -> Varchar,
        min_age -> Int4,
        max_age -> Nullable<Int4>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    charges (id) {
        id -> Uuid,
        program_id -> Uuid,
        student_id -> Uuid,
        #[max_length = 200]
        description -> Varchar,
        amount -> Numeric,
        charged_on -> Date,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    course_age_groups (course_id, age_group) {
        course_id -> Uuid,
        program_id -> Uuid,
        #[max_length = 32]
        age_group -> Varchar,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::AttendanceMark;

    attendance (id) {
        id -> Uuid,
        program_id -> Uuid,
        session_id -> Uuid,
        enrollment_id -> Uuid,
        mark -> AttendanceMark,
        note -> Text,
        marked_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::AttendanceMark;

    attendance_changes (id) {
        id -> Uuid,
        program_id -> Uuid,
        session_id -> Uuid,
        enrollment_id -> Uuid,
        from_mark -> Nullable<AttendanceMark>,
        to_mark -> AttendanceMark,
        note -> Text,
        changed_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    billing_terms (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 160]
        name -> Varchar,
        start_date -> Date,
        end_date -> Date,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::ClassSessionStatus;

    class_sessions (id) {
        id -> Uuid,
        program_id -> Uuid,
        class_id -> Uuid,
        tutor_id -> Uuid,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        status -> ClassSessionStatus,
        cancel_reason -> Text,
        substitute -> Bool,
        moved -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        attendance_taken_at -> Nullable<Timestamptz>,
        attendance_taken_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    class_times (id) {
        id -> Uuid,
        program_id -> Uuid,
        class_id -> Uuid,
        weekday -> Int2,
        start_time -> Time,
        duration_minutes -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::ClassStatus;

    classes (id) {
        id -> Uuid,
        program_id -> Uuid,
        course_id -> Uuid,
        facility_id -> Uuid,
        tutor_id -> Uuid,
        #[max_length = 32]
        age_group -> Varchar,
        #[max_length = 32]
        location_type -> Varchar,
        #[max_length = 32]
        session_type -> Varchar,
        #[max_length = 80]
        name -> Varchar,
        capacity -> Int4,
        start_date -> Date,
        end_date -> Date,
        status -> ClassStatus,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        curriculum_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::EnrollmentStatus;
    use super::sql_types::AssignmentType;
    use super::sql_types::DiscountKind;

    course_enrollments (id) {
        id -> Uuid,
        student_id -> Uuid,
        course_id -> Uuid,
        program_id -> Uuid,
        facility_id -> Uuid,
        #[max_length = 32]
        session_type -> Varchar,
        #[max_length = 32]
        location_type -> Varchar,
        #[max_length = 32]
        age_group -> Varchar,
        status -> EnrollmentStatus,
        enrollment_date -> Date,
        completion_date -> Nullable<Date>,
        progress_percentage -> Int4,
        credits_awarded -> Int4,
        assignment_type -> AssignmentType,
        assignment_notes -> Text,
        assigned_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        class_id -> Nullable<Uuid>,
        waitlisted_at -> Nullable<Timestamptz>,
        agreed_fee -> Numeric,
        discount_kind -> DiscountKind,
        discount_value -> Numeric,
        #[max_length = 160]
        discount_reason -> Varchar,
    }
}

diesel::table! {
    course_location_types (course_id, location_type) {
        course_id -> Uuid,
        program_id -> Uuid,
        #[max_length = 32]
        location_type -> Varchar,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    course_session_types (course_id, session_type) {
        course_id -> Uuid,
        program_id -> Uuid,
        #[max_length = 32]
        session_type -> Varchar,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    course_tutors (id) {
        id -> Uuid,
        course_id -> Uuid,
        program_id -> Uuid,
        user_id -> Uuid,
        assigned_by -> Nullable<Uuid>,
        assigned_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    courses (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 160]
        name -> Varchar,
        description -> Text,
        level -> Int4,
        is_active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    curricula (id) {
        id -> Uuid,
        program_id -> Uuid,
        course_id -> Uuid,
        #[max_length = 160]
        name -> Varchar,
        description -> Text,
        sequence_order -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::EnrollmentStatus;

    enrollment_counts (program_id, course_id, facility_id, age_group, location_type, session_type, status) {
        program_id -> Uuid,
        course_id -> Uuid,
        facility_id -> Uuid,
        #[max_length = 32]
        age_group -> Varchar,
        #[max_length = 32]
        location_type -> Varchar,
        #[max_length = 32]
        session_type -> Varchar,
        status -> EnrollmentStatus,
        enrollments -> Int8,
    }
}

diesel::table! {
    enrollment_class_changes (id) {
        id -> Uuid,
        enrollment_id -> Uuid,
        program_id -> Uuid,
        from_class_id -> Nullable<Uuid>,
        to_class_id -> Nullable<Uuid>,
        changed_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::FeeChangeKind;
    use super::sql_types::DiscountKind;

    enrollment_fee_changes (id) {
        id -> Uuid,
        enrollment_id -> Uuid,
        program_id -> Uuid,
        kind -> FeeChangeKind,
        agreed_fee -> Numeric,
        discount_kind -> DiscountKind,
        discount_value -> Numeric,
        #[max_length = 160]
        discount_reason -> Varchar,
        changed_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::EnrollmentStatus;

    enrollment_status_changes (id) {
        id -> Uuid,
        enrollment_id -> Uuid,
        program_id -> Uuid,
        from_status -> EnrollmentStatus,
        to_status -> EnrollmentStatus,
        reason -> Text,
        changed_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::FacilityType;
    use super::sql_types::FacilityStatus;

    facilities (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 160]
        name -> Varchar,
        facility_type -> FacilityType,
        capacity -> Int4,
        equipment -> Jsonb,
        amenities -> Jsonb,
        status -> FacilityStatus,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    facility_course_pricing (id) {
        id -> Uuid,
        facility_id -> Uuid,
        course_id -> Uuid,
        program_id -> Uuid,
        #[max_length = 32]
        age_group -> Varchar,
        #[max_length = 32]
        location_type -> Varchar,
        #[max_length = 32]
        session_type -> Varchar,
        price -> Numeric,
        is_active -> Bool,
        effective_date -> Date,
        end_date -> Nullable<Date>,
        created_by -> Nullable<Uuid>,
        updated_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    form_submissions (token) {
        token -> Uuid,
        user_id -> Uuid,
        location -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::ContactMethod;

    guardians (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 160]
        full_name -> Varchar,
        #[max_length = 60]
        relationship -> Varchar,
        #[max_length = 32]
        phone -> Varchar,
        #[max_length = 32]
        other_phone -> Varchar,
        #[max_length = 254]
        email -> Varchar,
        address -> Text,
        preferred_contact -> ContactMethod,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::HistoryAction;

    history (id) {
        id -> Int8,
        program_id -> Uuid,
        table_name -> Text,
        record_id -> Uuid,
        action -> HistoryAction,
        actor_id -> Nullable<Uuid>,
        changed_at -> Timestamptz,
        changes -> Jsonb,
    }
}

diesel::table! {
    http_sessions (session_key) {
        #[max_length = 128]
        session_key -> Varchar,
        state -> Jsonb,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::ImportStatus;

    imports (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 255]
        file_name -> Varchar,
        headers -> Jsonb,
        rows -> Jsonb,
        row_count -> Int4,
        mapping -> Jsonb,
        fixes -> Jsonb,
        status -> ImportStatus,
        done -> Int4,
        total -> Int4,
        message -> Text,
        created_by -> Nullable<Uuid>,
        finished_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::InvoiceKind;

    invoice_counters (program_id, kind, year) {
        program_id -> Uuid,
        kind -> InvoiceKind,
        year -> Int4,
        last_number -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::InvoiceKind;

    invoice_lines (id) {
        id -> Uuid,
        program_id -> Uuid,
        invoice_id -> Uuid,
        enrollment_id -> Nullable<Uuid>,
        period_start -> Date,
        #[max_length = 300]
        description -> Varchar,
        #[max_length = 160]
        share_note -> Varchar,
        amount -> Numeric,
        voided -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        kind -> InvoiceKind,
        credit_of -> Nullable<Uuid>,
        charge_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::InvoiceRunStatus;

    invoice_runs (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 160]
        period_name -> Varchar,
        period_start -> Date,
        period_end -> Date,
        status -> InvoiceRunStatus,
        #[max_length = 80]
        step -> Varchar,
        done -> Int4,
        total -> Int4,
        message -> Text,
        started_by -> Nullable<Uuid>,
        started_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::InvoiceKind;
    use super::sql_types::InvoiceStatus;

    invoices (id) {
        id -> Uuid,
        program_id -> Uuid,
        student_id -> Uuid,
        kind -> InvoiceKind,
        #[max_length = 16]
        number -> Nullable<Varchar>,
        status -> InvoiceStatus,
        period_start -> Date,
        period_end -> Date,
        #[max_length = 160]
        period_name -> Varchar,
        issued_on -> Date,
        due_on -> Date,
        credit_note_of -> Nullable<Uuid>,
        void_reason -> Text,
        voided_by -> Nullable<Uuid>,
        voided_at -> Nullable<Timestamptz>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        outstanding -> Numeric,
    }
}

diesel::table! {
    lesson_credit_changes (id) {
        id -> Uuid,
        program_id -> Uuid,
        enrollment_id -> Uuid,
        lesson_id -> Uuid,
        credited -> Bool,
        reason -> Text,
        changed_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    lesson_credits (id) {
        id -> Uuid,
        program_id -> Uuid,
        enrollment_id -> Uuid,
        lesson_id -> Uuid,
        session_id -> Nullable<Uuid>,
        credited_by -> Nullable<Uuid>,
        reason -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    lessons (id) {
        id -> Uuid,
        program_id -> Uuid,
        module_id -> Uuid,
        #[max_length = 160]
        name -> Varchar,
        content -> Text,
        duration_minutes -> Int4,
        sequence_order -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    login_failures (throttle_key) {
        #[max_length = 320]
        throttle_key -> Varchar,
        failures -> Int4,
        first_failed_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    makeups (id) {
        id -> Uuid,
        program_id -> Uuid,
        enrollment_id -> Uuid,
        missed_session_id -> Uuid,
        session_id -> Uuid,
        booked_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    modules (id) {
        id -> Uuid,
        program_id -> Uuid,
        curriculum_id -> Uuid,
        #[max_length = 160]
        name -> Varchar,
        description -> Text,
        sequence_order -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    money_by_month (program_id, month) {
        program_id -> Uuid,
        month -> Date,
        billed -> Numeric,
        collected -> Numeric,
    }
}

diesel::table! {
    outstanding_by_due (program_id, due_on) {
        program_id -> Uuid,
        due_on -> Date,
        amount -> Numeric,
        invoices -> Int4,
    }
}

diesel::table! {
    payment_allocations (id) {
        id -> Uuid,
        program_id -> Uuid,
        payment_id -> Uuid,
        invoice_id -> Uuid,
        amount -> Numeric,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::PaymentKind;
    use super::sql_types::PaymentMethod;

    payments (id) {
        id -> Uuid,
        program_id -> Uuid,
        student_id -> Uuid,
        kind -> PaymentKind,
        #[max_length = 16]
        number -> Varchar,
        amount -> Numeric,
        paid_on -> Date,
        method -> PaymentMethod,
        #[max_length = 120]
        reference -> Varchar,
        refund_of -> Nullable<Uuid>,
        reason -> Text,
        recorded_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    program_closures (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 160]
        name -> Varchar,
        start_date -> Date,
        end_date -> Date,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::BillingPeriod;

    programs (id) {
        id -> Uuid,
        #[max_length = 120]
        name -> Varchar,
        description -> Text,
        is_active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        billing_period -> BillingPeriod,
    }
}

diesel::table! {
    receipt_counters (program_id, year) {
        program_id -> Uuid,
        year -> Int4,
        last_number -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    session_lessons (id) {
        id -> Uuid,
        program_id -> Uuid,
        session_id -> Uuid,
        lesson_id -> Uuid,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    session_types (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 32]
        code -> Varchar,
        #[max_length = 80]
        name -> Varchar,
        capacity -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::StudentStatus;

    student_counts (program_id, status) {
        program_id -> Uuid,
        status -> StudentStatus,
        students -> Int8,
    }
}

diesel::table! {
    student_id_counters (year) {
        year -> Int4,
        last_number -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::StudentStatus;

    students (id) {
        id -> Uuid,
        program_id -> Uuid,
        #[max_length = 16]
        student_id -> Varchar,
        #[max_length = 80]
        first_name -> Varchar,
        #[max_length = 80]
        last_name -> Varchar,
        #[max_length = 254]
        email -> Nullable<Varchar>,
        #[max_length = 32]
        phone -> Nullable<Varchar>,
        date_of_birth -> Nullable<Date>,
        enrollment_date -> Date,
        status -> StudentStatus,
        address -> Jsonb,
        medical_info -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    student_guardians (id) {
        id -> Uuid,
        program_id -> Uuid,
        student_id -> Uuid,
        guardian_id -> Uuid,
        emergency_contact -> Bool,
        may_pick_up -> Bool,
        pays_fees -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    user_program_assignments (id) {
        id -> Uuid,
        user_id -> Uuid,
        program_id -> Uuid,
        assigned_at -> Timestamptz,
        assigned_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::UserRole;

    users (id) {
        id -> Uuid,
        #[max_length = 64]
        username -> Varchar,
        #[max_length = 254]
        email -> Varchar,
        #[max_length = 255]
        password_hash -> Varchar,
        role -> UserRole,
        is_active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        #[max_length = 120]
        full_name -> Varchar,
    }
}

diesel::joinable!(age_groups -> programs (program_id));
diesel::joinable!(class_sessions -> users (tutor_id));
diesel::joinable!(course_enrollments -> users (assigned_by));
diesel::joinable!(course_tutors -> users (assigned_by));
diesel::joinable!(courses -> programs (program_id));
diesel::joinable!(enrollment_class_changes -> users (changed_by));
diesel::joinable!(enrollment_fee_changes -> users (changed_by));
diesel::joinable!(enrollment_status_changes -> users (changed_by));
diesel::joinable!(facilities -> programs (program_id));
diesel::joinable!(form_submissions -> users (user_id));
diesel::joinable!(program_closures -> programs (program_id));
diesel::joinable!(session_types -> programs (program_id));
diesel::joinable!(students -> programs (program_id));
diesel::joinable!(user_program_assignments -> programs (program_id));

diesel::allow_tables_to_appear_in_same_query!(
    age_groups,
    attendance,
    attendance_changes,
    billing_terms,
    charges,
    class_sessions,
    class_times,
    classes,
    course_age_groups,
    course_enrollments,
    course_location_types,
    course_session_types,
    course_tutors,
    courses,
    curricula,
    enrollment_counts,
    enrollment_class_changes,
    enrollment_fee_changes,
    enrollment_status_changes,
    facilities,
    facility_course_pricing,
    form_submissions,
    guardians,
    history,
    http_sessions,
    imports,
    invoice_counters,
    invoice_lines,
    invoice_runs,
    invoices,
    lesson_credit_changes,
    lesson_credits,
    lessons,
    login_failures,
    makeups,
    modules,
    money_by_month,
    outstanding_by_due,
    payment_allocations,
    payments,
    program_closures,
    programs,
    receipt_counters,
    session_lessons,
    session_types,
    student_counts,
    student_guardians,
    student_id_counters,
    students,
    user_program_assignments,
    users,
);
