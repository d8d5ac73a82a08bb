-- Attendance and progress that follows the curriculum (issue 19).

-- A class follows one curriculum of its own course (the composite key says "of its course").
ALTER TABLE curricula ADD CONSTRAINT curricula_id_course_id_key UNIQUE (id, course_id);
ALTER TABLE classes
    ADD COLUMN curriculum_id UUID,
    ADD CONSTRAINT classes_curriculum_fkey FOREIGN KEY (curriculum_id, course_id)
        REFERENCES curricula (id, course_id) ON DELETE SET NULL (curriculum_id);
CREATE INDEX classes_curriculum_id_idx ON classes (curriculum_id) WHERE curriculum_id IS NOT NULL;

ALTER TABLE lessons ADD CONSTRAINT lessons_id_program_id_key UNIQUE (id, program_id);

-- A session whose attendance was taken: when first, and by whom.
ALTER TABLE class_sessions
    ADD COLUMN attendance_taken_at TIMESTAMPTZ,
    ADD COLUMN attendance_taken_by UUID REFERENCES users (id) ON DELETE SET NULL;

CREATE TYPE attendance_mark AS ENUM ('present', 'absent', 'late', 'excused');

-- One mark per student (enrollment) and session: two people marking at once leave one record.
CREATE TABLE attendance (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id    UUID            NOT NULL,
    session_id    UUID            NOT NULL,
    enrollment_id UUID            NOT NULL,
    mark          attendance_mark NOT NULL,
    note          TEXT            NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
    marked_by     UUID            REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ     NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ     NOT NULL DEFAULT now(),
    UNIQUE (session_id, enrollment_id),
    -- A session with attendance is never deleted (regenerating a class keeps it).
    FOREIGN KEY (session_id, program_id) REFERENCES class_sessions (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE CASCADE
);
CREATE INDEX attendance_enrollment_idx ON attendance (enrollment_id, session_id);
SELECT manage_updated_at('attendance');

-- Every mark given or changed: who changed what, and when.
CREATE TABLE attendance_changes (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id    UUID            NOT NULL,
    session_id    UUID            NOT NULL,
    enrollment_id UUID            NOT NULL,
    from_mark     attendance_mark,
    to_mark       attendance_mark NOT NULL,
    note          TEXT            NOT NULL DEFAULT '',
    changed_by    UUID            REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ     NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ     NOT NULL DEFAULT now(),
    FOREIGN KEY (session_id, program_id) REFERENCES class_sessions (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE CASCADE
);
CREATE INDEX attendance_changes_session_idx ON attendance_changes (session_id, created_at);
SELECT manage_updated_at('attendance_changes');

-- The lessons a session covered.
CREATE TABLE session_lessons (
    id         UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id UUID        NOT NULL,
    session_id UUID        NOT NULL,
    lesson_id  UUID        NOT NULL,
    created_by UUID        REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (session_id, lesson_id),
    FOREIGN KEY (session_id, program_id) REFERENCES class_sessions (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (lesson_id, program_id) REFERENCES lessons (id, program_id) ON DELETE CASCADE
);
CREATE INDEX session_lessons_lesson_idx ON session_lessons (lesson_id);
SELECT manage_updated_at('session_lessons');

-- A lesson a student is credited with: by a session they attended, or by hand (a makeup...).
CREATE TABLE lesson_credits (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id    UUID        NOT NULL,
    enrollment_id UUID        NOT NULL,
    lesson_id     UUID        NOT NULL,
    session_id    UUID,
    credited_by   UUID        REFERENCES users (id) ON DELETE SET NULL,
    reason        TEXT        NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (enrollment_id, lesson_id),
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (lesson_id, program_id) REFERENCES lessons (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (session_id, program_id) REFERENCES class_sessions (id, program_id) ON DELETE SET NULL (session_id)
);
CREATE INDEX lesson_credits_lesson_idx ON lesson_credits (lesson_id);
SELECT manage_updated_at('lesson_credits');

-- Credits given or taken away by hand: who, why, when.
CREATE TABLE lesson_credit_changes (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id    UUID        NOT NULL,
    enrollment_id UUID        NOT NULL,
    lesson_id     UUID        NOT NULL,
    credited      BOOLEAN     NOT NULL,
    reason        TEXT        NOT NULL CHECK (reason <> ''),
    changed_by    UUID        REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (lesson_id, program_id) REFERENCES lessons (id, program_id) ON DELETE CASCADE
);
CREATE INDEX lesson_credit_changes_enrollment_idx ON lesson_credit_changes (enrollment_id, created_at);
SELECT manage_updated_at('lesson_credit_changes');
