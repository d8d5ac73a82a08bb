-- Who paused, resumed, completed or withdrew an enrollment, and when: one row per change, kept
-- with the enrollment (and gone with it only if the enrollment itself is ever deleted).
ALTER TABLE course_enrollments ADD CONSTRAINT course_enrollments_id_program_id_key UNIQUE (id, program_id);

CREATE TABLE enrollment_status_changes (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    enrollment_id UUID              NOT NULL,
    program_id    UUID              NOT NULL,
    from_status   enrollment_status NOT NULL,
    to_status     enrollment_status NOT NULL CHECK (to_status <> from_status),
    reason        TEXT              NOT NULL DEFAULT '',
    changed_by    UUID              REFERENCES users (id) ON DELETE SET NULL,
    -- When the change was made.
    created_at    TIMESTAMPTZ       NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ       NOT NULL DEFAULT now(),
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE CASCADE
);
CREATE INDEX enrollment_status_changes_enrollment_idx
    ON enrollment_status_changes (enrollment_id, created_at DESC);
SELECT manage_updated_at('enrollment_status_changes');
