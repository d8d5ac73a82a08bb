-- A makeup: a student excused from one session of their class joins one session of another
-- class of the same course, for that session only (it takes one of its places then).
CREATE TABLE makeups (
    id                UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id        UUID        NOT NULL,
    enrollment_id     UUID        NOT NULL,
    missed_session_id UUID        NOT NULL,
    session_id        UUID        NOT NULL,
    booked_by         UUID        REFERENCES users (id) ON DELETE SET NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (missed_session_id <> session_id),
    -- One makeup per excused absence, and a student once in a session.
    UNIQUE (enrollment_id, missed_session_id),
    UNIQUE (enrollment_id, session_id),
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (missed_session_id, program_id) REFERENCES class_sessions (id, program_id) ON DELETE CASCADE,
    -- A session with a makeup booked is kept when its class's sessions are made again.
    FOREIGN KEY (session_id, program_id) REFERENCES class_sessions (id, program_id) ON DELETE RESTRICT
);
CREATE INDEX makeups_session_idx ON makeups (session_id);
SELECT manage_updated_at('makeups');
