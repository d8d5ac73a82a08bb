-- keep_counts (000011, 000012) wrote its statement as text on every call, and PostgreSQL plans a
-- text statement anew each time: a tenth of a millisecond on every enrollment, the busiest write
-- (docs/benchmarks.md, run W). The same statement, written once into a trigger function of each
-- count table, is planned once per connection. The statement is unchanged: the rows' keys
-- counted, locked in key order (000012), a count that nets to zero left alone.
CREATE FUNCTION make_count_keeper(counts text, total text, keys text) RETURNS void
LANGUAGE plpgsql AS $make$
BEGIN
  EXECUTE format($function$
    CREATE FUNCTION %1$I() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO %2$I AS c (%4$s, %3$I)
        SELECT %4$s, count(*) FROM new_rows GROUP BY %4$s ORDER BY %4$s
        ON CONFLICT (%4$s) DO UPDATE SET %3$I = c.%3$I + EXCLUDED.%3$I;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO %2$I AS c (%4$s, %3$I)
        SELECT %4$s, -count(*) FROM old_rows GROUP BY %4$s ORDER BY %4$s
        ON CONFLICT (%4$s) DO UPDATE SET %3$I = c.%3$I + EXCLUDED.%3$I;
      ELSE
        INSERT INTO %2$I AS c (%4$s, %3$I)
        SELECT %4$s, sum(delta)
          FROM (SELECT %4$s, 1 AS delta FROM new_rows
                UNION ALL SELECT %4$s, -1 FROM old_rows) changes
         GROUP BY %4$s HAVING sum(delta) <> 0 ORDER BY %4$s
        ON CONFLICT (%4$s) DO UPDATE SET %3$I = c.%3$I + EXCLUDED.%3$I;
      END IF;
      RETURN NULL;
    END $body$
  $function$, 'keep_' || counts, counts, total, keys);
END $make$;

SELECT make_count_keeper('student_counts', 'students', 'program_id, status');
SELECT make_count_keeper('enrollment_counts', 'enrollments',
  'program_id, course_id, facility_id, age_group, location_type, session_type, status');
DROP FUNCTION make_count_keeper(text, text, text);

DROP TRIGGER student_counts_insert ON students;
DROP TRIGGER student_counts_update ON students;
DROP TRIGGER student_counts_delete ON students;
DROP TRIGGER enrollment_counts_insert ON course_enrollments;
DROP TRIGGER enrollment_counts_update ON course_enrollments;
DROP TRIGGER enrollment_counts_delete ON course_enrollments;
DROP FUNCTION keep_counts();

CREATE TRIGGER student_counts_insert AFTER INSERT ON students
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_student_counts();
CREATE TRIGGER student_counts_update AFTER UPDATE ON students
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION keep_student_counts();
CREATE TRIGGER student_counts_delete AFTER DELETE ON students
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_student_counts();

CREATE TRIGGER enrollment_counts_insert AFTER INSERT ON course_enrollments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_enrollment_counts();
CREATE TRIGGER enrollment_counts_update AFTER UPDATE ON course_enrollments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION keep_enrollment_counts();
CREATE TRIGGER enrollment_counts_delete AFTER DELETE ON course_enrollments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_enrollment_counts();
