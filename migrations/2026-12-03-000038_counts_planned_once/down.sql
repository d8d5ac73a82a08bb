DROP TRIGGER student_counts_insert ON students;
DROP TRIGGER student_counts_update ON students;
DROP TRIGGER student_counts_delete ON students;
DROP TRIGGER enrollment_counts_insert ON course_enrollments;
DROP TRIGGER enrollment_counts_update ON course_enrollments;
DROP TRIGGER enrollment_counts_delete ON course_enrollments;
DROP FUNCTION keep_student_counts();
DROP FUNCTION keep_enrollment_counts();

CREATE FUNCTION keep_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counts text := TG_ARGV[0];
  total text := TG_ARGV[1];
  keys text := TG_ARGV[2];
  changes text := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT %s, 1 AS delta FROM new_rows', keys)
    WHEN 'DELETE' THEN format('SELECT %s, -1 AS delta FROM old_rows', keys)
    ELSE format('SELECT %1$s, 1 AS delta FROM new_rows UNION ALL SELECT %1$s, -1 FROM old_rows', keys)
  END;
BEGIN
  EXECUTE format(
    'INSERT INTO %1$I AS c (%3$s, %2$I)
     SELECT %3$s, sum(delta) FROM (%4$s) changes GROUP BY %3$s HAVING sum(delta) <> 0
     ORDER BY %3$s
     ON CONFLICT (%3$s) DO UPDATE SET %2$I = c.%2$I + EXCLUDED.%2$I',
    counts, total, keys, changes);
  RETURN NULL;
END $$;

CREATE TRIGGER student_counts_insert AFTER INSERT ON students
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION keep_counts('student_counts', 'students', 'program_id, status');
CREATE TRIGGER student_counts_update AFTER UPDATE ON students
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION keep_counts('student_counts', 'students', 'program_id, status');
CREATE TRIGGER student_counts_delete AFTER DELETE ON students
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION keep_counts('student_counts', 'students', 'program_id, status');
CREATE TRIGGER enrollment_counts_insert AFTER INSERT ON course_enrollments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION keep_counts('enrollment_counts', 'enrollments',
    'program_id, course_id, facility_id, age_group, location_type, session_type, status');
CREATE TRIGGER enrollment_counts_update AFTER UPDATE ON course_enrollments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION keep_counts('enrollment_counts', 'enrollments',
    'program_id, course_id, facility_id, age_group, location_type, session_type, status');
CREATE TRIGGER enrollment_counts_delete AFTER DELETE ON course_enrollments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION keep_counts('enrollment_counts', 'enrollments',
    'program_id, course_id, facility_id, age_group, location_type, session_type, status');
