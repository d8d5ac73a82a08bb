-- A history of every change (issue 21, docs/decisions.md "History"): every insert, update and
-- delete on the program's tables is recorded by the database itself, so no code path can skip it:
-- who (the app sets `app.actor_id` on its connection for the signed-in user whose request it
-- serves; empty for commands such as the demo seed), when, which record, and the values (all of
-- them for an insert or a delete, the old and new value of each changed column for an update).
-- Nothing in the app edits or deletes it, and the database refuses it.

CREATE TYPE history_action AS ENUM ('insert', 'update', 'delete');

CREATE TABLE history (
    id         BIGINT         GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id UUID           NOT NULL,
    -- The table and the record's id (for a course's offerings, the course's).
    table_name TEXT           NOT NULL,
    record_id  UUID           NOT NULL,
    action     history_action NOT NULL,
    -- The signed-in user who made the change; none for the app's own commands. No foreign key:
    -- history is written on every write, and a user is never deleted (only deactivated).
    actor_id   UUID,
    changed_at TIMESTAMPTZ    NOT NULL DEFAULT now(),
    -- insert, delete: {"column": value, ...}; update: {"column": [old, new], ...}.
    changes    JSONB          NOT NULL
);
CREATE INDEX history_record_idx ON history (record_id, id);
CREATE INDEX history_program_idx ON history (program_id, id);
CREATE INDEX history_actor_idx ON history (program_id, actor_id, id);

CREATE FUNCTION history_refused() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history is never changed or deleted'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'history_append_only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION history_refused();

-- Inserts and deletes, one INSERT per statement (an invoice run writes thousands of rows per
-- statement). TG_ARGV[0]: the column naming the record.
CREATE FUNCTION history_of_statement() RETURNS trigger AS $$
DECLARE
    actor UUID := nullif(current_setting('app.actor_id', true), '')::uuid;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO history (program_id, table_name, record_id, action, actor_id, changes)
        SELECT (r.j ->> 'program_id')::uuid, TG_TABLE_NAME, (r.j ->> TG_ARGV[0])::uuid, 'insert',
               actor, r.j - 'created_at' - 'updated_at'
          FROM (SELECT to_jsonb(n) AS j FROM new_rows n) r;
    ELSE
        INSERT INTO history (program_id, table_name, record_id, action, actor_id, changes)
        SELECT (r.j ->> 'program_id')::uuid, TG_TABLE_NAME, (r.j ->> TG_ARGV[0])::uuid, 'delete',
               actor, r.j - 'created_at' - 'updated_at'
          FROM (SELECT to_jsonb(o) AS j FROM old_rows o) r;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Updates, per row: the columns that changed, old and new (the time of the change is the
-- history's own).
CREATE FUNCTION history_of_row() RETURNS trigger AS $$
DECLARE
    changed JSONB;
    new_row JSONB := to_jsonb(NEW);
BEGIN
    SELECT jsonb_object_agg(n.key, jsonb_build_array(o.value, n.value)) INTO changed
      FROM jsonb_each(new_row) n JOIN jsonb_each(to_jsonb(OLD)) o USING (key)
     WHERE n.value IS DISTINCT FROM o.value AND n.key <> 'updated_at';
    IF changed IS NOT NULL THEN
        INSERT INTO history (program_id, table_name, record_id, action, actor_id, changes)
        VALUES ((new_row ->> 'program_id')::uuid, TG_TABLE_NAME, (new_row ->> TG_ARGV[0])::uuid,
                'update', nullif(current_setting('app.actor_id', true), '')::uuid, changed);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Records the history of `tbl`, whose records are named by the column `key`. Every table with a
-- program_id calls it in the migration that creates it (a test fails for one that does not).
CREATE FUNCTION track_history(tbl REGCLASS, key TEXT DEFAULT 'id') RETURNS void AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER history_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION history_of_statement(%L)', tbl, key);
    EXECUTE format('CREATE TRIGGER history_update AFTER UPDATE ON %s
                    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION history_of_row(%L)', tbl, key);
    EXECUTE format('CREATE TRIGGER history_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION history_of_statement(%L)', tbl, key);
END;
$$ LANGUAGE plpgsql;

SELECT track_history(t) FROM unnest(ARRAY[
    'age_groups', 'attendance', 'attendance_changes', 'billing_terms', 'charges', 'class_sessions',
    'class_times', 'classes', 'course_enrollments', 'course_tutors', 'courses', 'curricula',
    'enrollment_class_changes', 'enrollment_fee_changes', 'enrollment_status_changes',
    'facilities', 'facility_course_pricing', 'invoice_lines', 'invoices', 'lesson_credit_changes',
    'lesson_credits', 'lessons', 'makeups', 'modules', 'payment_allocations', 'payments',
    'program_closures', 'session_lessons', 'session_types', 'students', 'user_program_assignments'
]::regclass[]) t;
SELECT track_history(t, 'course_id') FROM unnest(ARRAY[
    'course_age_groups', 'course_location_types', 'course_session_types'
]::regclass[]) t;
