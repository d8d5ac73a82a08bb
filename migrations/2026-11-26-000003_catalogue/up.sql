CREATE TABLE courses (
    id          UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id  UUID         NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    name        VARCHAR(160) NOT NULL CHECK (name <> ''),
    description TEXT         NOT NULL DEFAULT '',
    level       INTEGER      NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 20),
    is_active   BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- Target of the composite foreign keys that keep children in their course's program.
    UNIQUE (id, program_id)
);
CREATE INDEX courses_program_id_idx ON courses (program_id, lower(name));
SELECT manage_updated_at('courses');

-- What a course offers (docs/decisions.md): at least one of each, checked by the application.
CREATE TABLE course_age_groups (
    course_id  UUID        NOT NULL,
    program_id UUID        NOT NULL,
    age_group  VARCHAR(32) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, age_group),
    FOREIGN KEY (course_id, program_id) REFERENCES courses (id, program_id) ON DELETE CASCADE,
    -- A code in use cannot be renamed or removed underneath the course.
    FOREIGN KEY (program_id, age_group) REFERENCES age_groups (program_id, code)
);
CREATE INDEX course_age_groups_program_id_idx ON course_age_groups (program_id, age_group);
SELECT manage_updated_at('course_age_groups');

CREATE TABLE course_location_types (
    course_id     UUID        NOT NULL,
    program_id    UUID        NOT NULL,
    location_type VARCHAR(32) NOT NULL
        CHECK (location_type IN ('our-facility', 'client-location', 'virtual')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, location_type),
    FOREIGN KEY (course_id, program_id) REFERENCES courses (id, program_id) ON DELETE CASCADE
);
CREATE INDEX course_location_types_program_id_idx ON course_location_types (program_id);
SELECT manage_updated_at('course_location_types');

CREATE TABLE course_session_types (
    course_id    UUID        NOT NULL,
    program_id   UUID        NOT NULL,
    session_type VARCHAR(32) NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, session_type),
    FOREIGN KEY (course_id, program_id) REFERENCES courses (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (program_id, session_type) REFERENCES session_types (program_id, code)
);
CREATE INDEX course_session_types_program_id_idx ON course_session_types (program_id, session_type);
SELECT manage_updated_at('course_session_types');

CREATE TABLE course_tutors (
    id          UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    course_id   UUID        NOT NULL,
    program_id  UUID        NOT NULL,
    user_id     UUID        NOT NULL,
    assigned_by UUID        REFERENCES users (id) ON DELETE SET NULL,
    assigned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (course_id, user_id),
    FOREIGN KEY (course_id, program_id) REFERENCES courses (id, program_id) ON DELETE CASCADE,
    -- Only a member of the program can tutor its courses; leaving the program ends the course assignments.
    FOREIGN KEY (user_id, program_id) REFERENCES user_program_assignments (user_id, program_id) ON DELETE CASCADE
);
CREATE INDEX course_tutors_program_id_idx ON course_tutors (program_id, user_id);
SELECT manage_updated_at('course_tutors');

CREATE TABLE curricula (
    id             UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id     UUID         NOT NULL,
    course_id      UUID         NOT NULL,
    name           VARCHAR(160) NOT NULL CHECK (name <> ''),
    description    TEXT         NOT NULL DEFAULT '',
    sequence_order INTEGER      NOT NULL CHECK (sequence_order >= 1),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (id, program_id),
    FOREIGN KEY (course_id, program_id) REFERENCES courses (id, program_id) ON DELETE RESTRICT
);
CREATE INDEX curricula_program_id_idx ON curricula (program_id);
CREATE INDEX curricula_course_id_idx ON curricula (course_id, sequence_order);
SELECT manage_updated_at('curricula');

CREATE TABLE modules (
    id             UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id     UUID         NOT NULL,
    curriculum_id  UUID         NOT NULL,
    name           VARCHAR(160) NOT NULL CHECK (name <> ''),
    description    TEXT         NOT NULL DEFAULT '',
    sequence_order INTEGER      NOT NULL CHECK (sequence_order >= 1),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (id, program_id),
    FOREIGN KEY (curriculum_id, program_id) REFERENCES curricula (id, program_id) ON DELETE RESTRICT
);
CREATE INDEX modules_program_id_idx ON modules (program_id);
CREATE INDEX modules_curriculum_id_idx ON modules (curriculum_id, sequence_order);
SELECT manage_updated_at('modules');

CREATE TABLE lessons (
    id               UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id       UUID         NOT NULL,
    module_id        UUID         NOT NULL,
    name             VARCHAR(160) NOT NULL CHECK (name <> ''),
    content          TEXT         NOT NULL DEFAULT '',
    duration_minutes INTEGER      NOT NULL DEFAULT 0 CHECK (duration_minutes BETWEEN 0 AND 1440),
    sequence_order   INTEGER      NOT NULL CHECK (sequence_order >= 1),
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    FOREIGN KEY (module_id, program_id) REFERENCES modules (id, program_id) ON DELETE RESTRICT
);
CREATE INDEX lessons_program_id_idx ON lessons (program_id);
CREATE INDEX lessons_module_id_idx ON lessons (module_id, sequence_order);
SELECT manage_updated_at('lessons');
