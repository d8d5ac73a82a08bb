DO $$
DECLARE t regclass;
BEGIN
    FOR t IN SELECT DISTINCT tgrelid::regclass FROM pg_trigger WHERE tgname = 'history_insert' LOOP
        EXECUTE format('DROP TRIGGER history_insert ON %s', t);
        EXECUTE format('DROP TRIGGER history_update ON %s', t);
        EXECUTE format('DROP TRIGGER history_delete ON %s', t);
    END LOOP;
END;
$$;
DROP FUNCTION track_history(REGCLASS, TEXT);
DROP FUNCTION history_of_row();
DROP FUNCTION history_of_statement();
DROP TABLE history;
DROP FUNCTION history_refused();
DROP TYPE history_action;
