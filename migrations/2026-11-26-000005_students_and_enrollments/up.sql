CREATE TYPE student_status AS ENUM ('active', 'inactive', 'graduated', 'withdrawn');
CREATE TYPE enrollment_status AS ENUM ('active', 'paused', 'completed', 'withdrawn');
CREATE TYPE assignment_type AS ENUM ('direct', 'parent_assigned', 'bulk_assigned');

-- STU-YYYY-NNNN numbers: one counter row per year, bumped under its row lock, so concurrent
-- creations serialise on it and a committed number is never handed out twice.
CREATE TABLE student_id_counters (
    year        INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
    last_number INTEGER     NOT NULL CHECK (last_number >= 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
SELECT manage_updated_at('student_id_counters');

CREATE TABLE students (
    id                UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id        UUID           NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    student_id        VARCHAR(16)    NOT NULL UNIQUE CHECK (student_id ~ '^STU-[0-9]{4}-[0-9]{4,}$'),
    first_name        VARCHAR(80)    NOT NULL CHECK (first_name <> ''),
    last_name         VARCHAR(80)    NOT NULL CHECK (last_name <> ''),
    email             VARCHAR(254),
    phone             VARCHAR(32),
    date_of_birth     DATE,
    enrollment_date   DATE           NOT NULL DEFAULT CURRENT_DATE,
    status            student_status NOT NULL DEFAULT 'active',
    address           JSONB          NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(address) = 'object'),
    emergency_contact JSONB          NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(emergency_contact) = 'object'),
    medical_info      JSONB          NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(medical_info) = 'object'),
    created_at        TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ    NOT NULL DEFAULT now(),
    UNIQUE (id, program_id)
);
CREATE INDEX students_program_id_idx ON students (program_id, last_name, first_name, id);
CREATE INDEX students_program_status_idx ON students (program_id, status);
SELECT manage_updated_at('students');

-- docs/decisions.md differs from the seed on purpose: staff are the only users, so an enrollment
-- references students.id (student_id) instead of users.id.
CREATE TABLE course_enrollments (
    id                  UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    student_id          UUID              NOT NULL,
    course_id           UUID              NOT NULL,
    program_id          UUID              NOT NULL,
    facility_id         UUID              NOT NULL,
    session_type        VARCHAR(32)       NOT NULL,
    location_type       VARCHAR(32)       NOT NULL,
    age_group           VARCHAR(32)       NOT NULL,
    status              enrollment_status NOT NULL DEFAULT 'active',
    enrollment_date     DATE              NOT NULL DEFAULT CURRENT_DATE,
    completion_date     DATE              CHECK (completion_date IS NULL OR completion_date >= enrollment_date),
    progress_percentage INTEGER           NOT NULL DEFAULT 0 CHECK (progress_percentage BETWEEN 0 AND 100),
    credits_awarded     INTEGER           NOT NULL DEFAULT 0 CHECK (credits_awarded >= 0),
    assignment_type     assignment_type   NOT NULL DEFAULT 'direct',
    assignment_notes    TEXT              NOT NULL DEFAULT '',
    assigned_by         UUID              REFERENCES users (id) ON DELETE SET NULL,
    created_at          TIMESTAMPTZ       NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ       NOT NULL DEFAULT now(),
    -- Never cascaded away: a student, course or facility with enrollments cannot be deleted.
    FOREIGN KEY (student_id, program_id) REFERENCES students (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (course_id, program_id) REFERENCES courses (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (facility_id, program_id) REFERENCES facilities (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (course_id, age_group) REFERENCES course_age_groups (course_id, age_group),
    FOREIGN KEY (course_id, location_type) REFERENCES course_location_types (course_id, location_type),
    FOREIGN KEY (course_id, session_type) REFERENCES course_session_types (course_id, session_type),
    CHECK ((status IN ('completed', 'withdrawn')) = (completion_date IS NOT NULL))
);
-- One running (active or paused) enrollment per student, course and facility.
CREATE UNIQUE INDEX course_enrollments_running_key
    ON course_enrollments (student_id, course_id, facility_id)
    WHERE status IN ('active', 'paused');
CREATE INDEX course_enrollments_program_id_idx ON course_enrollments (program_id, status);
CREATE INDEX course_enrollments_student_id_idx ON course_enrollments (student_id);
CREATE INDEX course_enrollments_course_id_idx ON course_enrollments (course_id, status);
CREATE INDEX course_enrollments_facility_id_idx ON course_enrollments (facility_id, status);
SELECT manage_updated_at('course_enrollments');
