-- The timetable (docs/decisions.md, "The timetable"): a program's closure dates, its classes with
-- their weekly times, the dated sessions generated from those, and enrollments joining classes.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Days a program does not teach (holidays, breaks); sessions are not generated on them.
CREATE TABLE program_closures (
    id         UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id UUID         NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    name       VARCHAR(160) NOT NULL CHECK (name <> ''),
    start_date DATE         NOT NULL,
    end_date   DATE         NOT NULL CHECK (end_date >= start_date),
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX program_closures_program_id_idx ON program_closures (program_id, start_date);
SELECT manage_updated_at('program_closures');

CREATE TYPE class_status AS ENUM ('active', 'archived');

-- A course taught at one facility, for one configuration the course offers, by one of its tutors,
-- between two dates. Everything it names is of its own program (the composite foreign keys).
CREATE TABLE classes (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id    UUID         NOT NULL,
    course_id     UUID         NOT NULL,
    facility_id   UUID         NOT NULL,
    tutor_id      UUID         NOT NULL,
    age_group     VARCHAR(32)  NOT NULL,
    location_type VARCHAR(32)  NOT NULL,
    session_type  VARCHAR(32)  NOT NULL,
    name          VARCHAR(80)  NOT NULL CHECK (name <> ''),
    capacity      INTEGER      NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
    start_date    DATE         NOT NULL,
    end_date      DATE         NOT NULL CHECK (end_date >= start_date AND end_date <= start_date + 731),
    status        class_status NOT NULL DEFAULT 'active',
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (id, program_id),
    -- What an enrollment in the class must equal: course_enrollments' composite foreign key.
    UNIQUE (id, course_id, facility_id, age_group, location_type, session_type),
    FOREIGN KEY (course_id, program_id) REFERENCES courses (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (facility_id, program_id) REFERENCES facilities (id, program_id) ON DELETE RESTRICT,
    -- The tutor is assigned to the course (course_tutors keeps them a member of the program).
    FOREIGN KEY (course_id, tutor_id) REFERENCES course_tutors (course_id, user_id) ON DELETE RESTRICT,
    FOREIGN KEY (course_id, age_group) REFERENCES course_age_groups (course_id, age_group),
    FOREIGN KEY (course_id, location_type) REFERENCES course_location_types (course_id, location_type),
    FOREIGN KEY (course_id, session_type) REFERENCES course_session_types (course_id, session_type)
);
CREATE INDEX classes_program_id_idx ON classes (program_id, lower(name));
CREATE INDEX classes_course_id_idx ON classes (course_id, facility_id);
CREATE INDEX classes_facility_id_idx ON classes (facility_id);
CREATE INDEX classes_tutor_id_idx ON classes (tutor_id);
SELECT manage_updated_at('classes');

-- The weekly pattern of a class: a weekday (ISO, 1 = Monday), a start time and a duration, in the
-- academy's time zone.
CREATE TABLE class_times (
    id               UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id       UUID        NOT NULL,
    class_id         UUID        NOT NULL,
    weekday          SMALLINT    NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time       TIME        NOT NULL,
    duration_minutes INTEGER     NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (class_id, weekday, start_time),
    FOREIGN KEY (class_id, program_id) REFERENCES classes (id, program_id) ON DELETE CASCADE
);
CREATE INDEX class_times_program_id_idx ON class_times (program_id);
SELECT manage_updated_at('class_times');

CREATE TYPE class_session_status AS ENUM ('scheduled', 'cancelled');

-- One dated meeting of a class. `tutor_id` is who teaches it: the class's tutor, or a substitute
-- (`substitute`); `moved` marks a session put on another date or time by hand.
CREATE TABLE class_sessions (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id    UUID                 NOT NULL,
    class_id      UUID                 NOT NULL,
    tutor_id      UUID                 NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    starts_at     TIMESTAMPTZ          NOT NULL,
    ends_at       TIMESTAMPTZ          NOT NULL,
    status        class_session_status NOT NULL DEFAULT 'scheduled',
    cancel_reason TEXT                 NOT NULL DEFAULT '',
    substitute    BOOLEAN              NOT NULL DEFAULT FALSE,
    moved         BOOLEAN              NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ          NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ          NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at AND ends_at <= starts_at + interval '12 hours'),
    CHECK ((status = 'cancelled') = (cancel_reason <> '')),
    UNIQUE (id, program_id),
    FOREIGN KEY (class_id, program_id) REFERENCES classes (id, program_id) ON DELETE RESTRICT,
    -- A tutor is never in two scheduled sessions at once, in any program; the application names
    -- the clash first, this keeps it true under concurrent writes.
    CONSTRAINT class_sessions_tutor_clash
        EXCLUDE USING gist (tutor_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status = 'scheduled')
);
CREATE INDEX class_sessions_program_id_idx ON class_sessions (program_id, starts_at);
CREATE INDEX class_sessions_class_id_idx ON class_sessions (class_id, starts_at);
CREATE INDEX class_sessions_tutor_id_idx ON class_sessions (tutor_id, starts_at);
SELECT manage_updated_at('class_sessions');

-- An enrollment may be in a class; if it is, its course, facility and configuration are the
-- class's (the composite key, not only a check in Rust). A waitlisted one always is, and keeps its
-- place in line by `waitlisted_at`.
ALTER TABLE course_enrollments
    ADD COLUMN class_id UUID,
    ADD COLUMN waitlisted_at TIMESTAMPTZ,
    ADD CONSTRAINT course_enrollments_class_fkey
        FOREIGN KEY (class_id, course_id, facility_id, age_group, location_type, session_type)
        REFERENCES classes (id, course_id, facility_id, age_group, location_type, session_type)
        ON DELETE RESTRICT,
    ADD CONSTRAINT course_enrollments_waitlist_check
        CHECK (status <> 'waitlisted' OR (class_id IS NOT NULL AND waitlisted_at IS NOT NULL));
CREATE INDEX course_enrollments_class_id_idx ON course_enrollments (class_id, status)
    WHERE class_id IS NOT NULL;
CREATE INDEX course_enrollments_waitlist_idx ON course_enrollments (class_id, waitlisted_at, id)
    WHERE status = 'waitlisted';
-- One place in line per student, course and facility.
CREATE UNIQUE INDEX course_enrollments_waitlisted_key
    ON course_enrollments (student_id, course_id, facility_id)
    WHERE status = 'waitlisted';
