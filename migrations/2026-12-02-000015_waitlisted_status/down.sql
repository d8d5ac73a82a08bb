-- Postgres cannot drop an enum value: every column of the type goes through text to a new type
-- without it. A waitlisted enrollment held no place, so going back withdraws it.
UPDATE course_enrollments SET status = 'withdrawn', completion_date = greatest(enrollment_date, CURRENT_DATE)
 WHERE status = 'waitlisted';
DELETE FROM enrollment_status_changes WHERE from_status = 'waitlisted' OR to_status = 'waitlisted';
DELETE FROM enrollment_counts WHERE status = 'waitlisted';

-- The constraints and the partial index that compare status with enum constants go first.
DROP INDEX course_enrollments_running_key;
ALTER TABLE course_enrollments DROP CONSTRAINT course_enrollments_check1;
ALTER TABLE enrollment_status_changes DROP CONSTRAINT enrollment_status_changes_check;
ALTER TABLE course_enrollments ALTER COLUMN status DROP DEFAULT;
ALTER TABLE course_enrollments ALTER COLUMN status TYPE text USING status::text;
ALTER TABLE enrollment_status_changes ALTER COLUMN from_status TYPE text USING from_status::text;
ALTER TABLE enrollment_status_changes ALTER COLUMN to_status TYPE text USING to_status::text;
ALTER TABLE enrollment_counts ALTER COLUMN status TYPE text USING status::text;
DROP TYPE enrollment_status;
CREATE TYPE enrollment_status AS ENUM ('active', 'paused', 'completed', 'withdrawn');
ALTER TABLE course_enrollments ALTER COLUMN status TYPE enrollment_status USING status::enrollment_status;
ALTER TABLE course_enrollments ALTER COLUMN status SET DEFAULT 'active';
ALTER TABLE enrollment_status_changes ALTER COLUMN from_status TYPE enrollment_status USING from_status::enrollment_status;
ALTER TABLE enrollment_status_changes ALTER COLUMN to_status TYPE enrollment_status USING to_status::enrollment_status;
ALTER TABLE enrollment_counts ALTER COLUMN status TYPE enrollment_status USING status::enrollment_status;
ALTER TABLE course_enrollments ADD CONSTRAINT course_enrollments_check1
    CHECK ((status IN ('completed', 'withdrawn')) = (completion_date IS NOT NULL));
ALTER TABLE enrollment_status_changes ADD CONSTRAINT enrollment_status_changes_check
    CHECK (to_status <> from_status);
CREATE UNIQUE INDEX course_enrollments_running_key
    ON course_enrollments (student_id, course_id, facility_id)
    WHERE status IN ('active', 'paused');
