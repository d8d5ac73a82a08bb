-- Issue 7: what a million students need. Student search through a trigram index, an index per
-- list order (the lists page by key, never by deep offsets), and running counts kept by triggers
-- so that list totals and the dashboard read a few small rows instead of counting a program.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The text a student search looks in. One immutable function, so that the index and the query
-- spell the same expression.
CREATE FUNCTION student_search_text(first_name text, last_name text, student_id text, email text, phone text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT first_name || ' ' || last_name || ' ' || student_id || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '')
$$;

CREATE INDEX students_search_idx ON students
  USING gin (program_id, student_search_text(first_name, last_name, student_id, email, phone) gin_trgm_ops);
CREATE INDEX students_program_code_idx ON students (program_id, student_id);
CREATE INDEX students_program_newest_idx ON students (program_id, created_at DESC, id DESC);
CREATE INDEX course_enrollments_program_date_idx ON course_enrollments (program_id, enrollment_date DESC, id DESC);

-- Running counts. Statement-level triggers with transition tables: one aggregate per statement,
-- so a bulk insert of a million rows updates each count once. (No CHECK (n >= 0): Postgres checks
-- the proposed row of INSERT .. ON CONFLICT, which carries a negative delta, before the conflict.)
CREATE TABLE student_counts (
  program_id uuid NOT NULL,
  status student_status NOT NULL,
  students bigint NOT NULL,
  PRIMARY KEY (program_id, status)
);

CREATE TABLE enrollment_counts (
  program_id uuid NOT NULL,
  course_id uuid NOT NULL,
  facility_id uuid NOT NULL,
  age_group varchar(32) NOT NULL,
  location_type varchar(32) NOT NULL,
  session_type varchar(32) NOT NULL,
  status enrollment_status NOT NULL,
  enrollments bigint NOT NULL,
  PRIMARY KEY (program_id, course_id, facility_id, age_group, location_type, session_type, status)
);

-- Keeps a count table in step with the rows of the table it counts. Arguments: the count table,
-- its count column, the key columns (the same names in both tables). Runs once per statement.
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

-- TRUNCATE bypasses row triggers; the counts follow it.
CREATE FUNCTION truncate_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('TRUNCATE %I', TG_ARGV[0]);
  RETURN NULL;
END $$;
CREATE TRIGGER student_counts_truncate AFTER TRUNCATE ON students
  FOR EACH STATEMENT EXECUTE FUNCTION truncate_counts('student_counts');
CREATE TRIGGER enrollment_counts_truncate AFTER TRUNCATE ON course_enrollments
  FOR EACH STATEMENT EXECUTE FUNCTION truncate_counts('enrollment_counts');

INSERT INTO student_counts (program_id, status, students)
  SELECT program_id, status, count(*) FROM students GROUP BY program_id, status;
INSERT INTO enrollment_counts
  (program_id, course_id, facility_id, age_group, location_type, session_type, status, enrollments)
  SELECT program_id, course_id, facility_id, age_group, location_type, session_type, status, count(*)
  FROM course_enrollments
  GROUP BY program_id, course_id, facility_id, age_group, location_type, session_type, status;
