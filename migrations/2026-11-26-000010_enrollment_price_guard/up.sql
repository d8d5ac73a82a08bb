-- No enrollment without a price in force for its configuration on its enrollment date, whatever
-- the path (form, crafted post, import). The price row is locked FOR SHARE, so a concurrent price
-- change waits for this enrollment, or this enrollment sees the change and is refused.
CREATE FUNCTION course_enrollments_require_price() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM facility_course_pricing p
     WHERE p.facility_id = NEW.facility_id
       AND p.course_id = NEW.course_id
       AND p.program_id = NEW.program_id
       AND p.age_group = NEW.age_group
       AND p.location_type = NEW.location_type
       AND p.session_type = NEW.session_type
       AND p.effective_date <= NEW.enrollment_date
       AND (p.end_date IS NULL OR p.end_date > NEW.enrollment_date)
       FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no price in force for this enrollment configuration on %', NEW.enrollment_date
            USING ERRCODE = 'check_violation', CONSTRAINT = 'course_enrollments_price_in_force';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER course_enrollments_price_in_force
    BEFORE INSERT OR UPDATE OF facility_id, course_id, age_group, location_type, session_type, enrollment_date
    ON course_enrollments
    FOR EACH ROW EXECUTE FUNCTION course_enrollments_require_price();
