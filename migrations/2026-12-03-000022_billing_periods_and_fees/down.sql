DROP FUNCTION net_fee(NUMERIC, discount_kind, NUMERIC);
CREATE OR REPLACE FUNCTION course_enrollments_require_price() RETURNS trigger AS $$
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
ALTER TABLE course_enrollments
    DROP COLUMN agreed_fee,
    DROP COLUMN discount_kind,
    DROP COLUMN discount_value,
    DROP COLUMN discount_reason;
DROP TYPE discount_kind;
DROP TABLE billing_terms;
ALTER TABLE programs DROP COLUMN billing_period;
DROP TYPE billing_period;
