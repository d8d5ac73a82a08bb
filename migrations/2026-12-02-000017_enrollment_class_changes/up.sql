-- Which class an enrollment was in, and when and by whom it was put in another: moving a student
-- keeps its history. A class deleted later (only possible without students or past sessions)
-- leaves the row with its side unknown.
CREATE TABLE enrollment_class_changes (
    id            UUID        PRIMARY KEY DEFAULT uuid_generate_v4(),
    enrollment_id UUID        NOT NULL,
    program_id    UUID        NOT NULL,
    from_class_id UUID,
    to_class_id   UUID,
    changed_by    UUID        REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (from_class_id IS DISTINCT FROM to_class_id),
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (from_class_id, program_id) REFERENCES classes (id, program_id) ON DELETE SET NULL (from_class_id),
    FOREIGN KEY (to_class_id, program_id) REFERENCES classes (id, program_id) ON DELETE SET NULL (to_class_id)
);
CREATE INDEX enrollment_class_changes_enrollment_idx
    ON enrollment_class_changes (enrollment_id, created_at DESC);
CREATE INDEX enrollment_class_changes_from_idx ON enrollment_class_changes (from_class_id);
CREATE INDEX enrollment_class_changes_to_idx ON enrollment_class_changes (to_class_id);
SELECT manage_updated_at('enrollment_class_changes');
