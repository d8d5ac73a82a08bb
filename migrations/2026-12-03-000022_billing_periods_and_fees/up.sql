-- Fees, part one (issue 20, docs/decisions.md "Fees"): how a program bills (by calendar month or
-- by named terms), and the fee each enrollment agreed to, with its discount.

-- A term's dates may not overlap another term of the same program: every day belongs to at most
-- one billing period. btree_gist lets the exclusion constraint compare program_id with `=`.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE billing_period AS ENUM ('month', 'term');
ALTER TABLE programs ADD COLUMN billing_period billing_period NOT NULL DEFAULT 'month';

CREATE TABLE billing_terms (
    id         UUID PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id UUID         NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    name       VARCHAR(160) NOT NULL CHECK (name <> ''),
    start_date DATE         NOT NULL,
    end_date   DATE         NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CHECK (end_date >= start_date),
    UNIQUE (id, program_id),
    CONSTRAINT billing_terms_no_overlap
        EXCLUDE USING gist (program_id WITH =, daterange(start_date, end_date, '[]') WITH &&)
);
SELECT manage_updated_at('billing_terms');

-- The fee an enrollment agreed to: the price in force when it was made, copied, so later price
-- changes leave running enrollments alone until someone applies the new price to them. The
-- discount is kept apart from the fee (what it was, and why), never folded into it.
CREATE TYPE discount_kind AS ENUM ('none', 'percent', 'amount');
ALTER TABLE course_enrollments
    ADD COLUMN agreed_fee      NUMERIC(12, 2),
    ADD COLUMN discount_kind   discount_kind  NOT NULL DEFAULT 'none',
    ADD COLUMN discount_value  NUMERIC(12, 2) NOT NULL DEFAULT 0,
    ADD COLUMN discount_reason VARCHAR(160)   NOT NULL DEFAULT '';

-- Enrollments made before fees agreed to the price in force on their enrollment date (the
-- trigger course_enrollments_price_in_force guaranteed there was one).
UPDATE course_enrollments e
   SET agreed_fee = p.price
  FROM (SELECT DISTINCT ON (e2.id) e2.id, f.price
          FROM course_enrollments e2
          JOIN facility_course_pricing f
            ON f.facility_id = e2.facility_id AND f.course_id = e2.course_id
           AND f.age_group = e2.age_group AND f.location_type = e2.location_type
           AND f.session_type = e2.session_type
           AND f.effective_date <= e2.enrollment_date
           AND (f.end_date IS NULL OR f.end_date > e2.enrollment_date)
         ORDER BY e2.id, f.effective_date DESC, f.created_at DESC) p
 WHERE p.id = e.id;
UPDATE course_enrollments SET agreed_fee = 0 WHERE agreed_fee IS NULL;

-- Every new enrollment, whatever the path (form, bulk, import, seed), agrees to the price in force
-- on its enrollment date unless the insert names a fee: the guard that already finds (and locks)
-- that price copies it.
CREATE OR REPLACE FUNCTION course_enrollments_require_price() RETURNS trigger AS $$
DECLARE
    in_force NUMERIC(12, 2);
BEGIN
    SELECT p.price INTO in_force
      FROM facility_course_pricing p
     WHERE p.facility_id = NEW.facility_id
       AND p.course_id = NEW.course_id
       AND p.program_id = NEW.program_id
       AND p.age_group = NEW.age_group
       AND p.location_type = NEW.location_type
       AND p.session_type = NEW.session_type
       AND p.effective_date <= NEW.enrollment_date
       AND (p.end_date IS NULL OR p.end_date > NEW.enrollment_date)
     ORDER BY p.effective_date DESC, p.created_at DESC
     LIMIT 1
       FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no price in force for this enrollment configuration on %', NEW.enrollment_date
            USING ERRCODE = 'check_violation', CONSTRAINT = 'course_enrollments_price_in_force';
    END IF;
    IF TG_OP = 'INSERT' AND NEW.agreed_fee IS NULL THEN
        NEW.agreed_fee := in_force;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

ALTER TABLE course_enrollments
    ALTER COLUMN agreed_fee SET NOT NULL,
    ADD CONSTRAINT course_enrollments_agreed_fee_check CHECK (agreed_fee >= 0),
    ADD CONSTRAINT course_enrollments_discount_check CHECK (
        discount_value >= 0
        AND (discount_kind <> 'none' OR (discount_value = 0 AND discount_reason = ''))
        AND (discount_kind <> 'percent' OR discount_value <= 100)
        AND (discount_kind = 'none' OR (discount_value > 0 AND discount_reason <> ''))
    );

-- What the enrollment costs per billing period once its discount is taken off: the one formula,
-- used by every page and by invoicing. A percentage is rounded half-up to the kobo once (round()
-- on numeric rounds half away from zero, the same for these positive amounts); an amount off never
-- takes the fee below zero, and 100% makes a free place.
CREATE FUNCTION net_fee(fee NUMERIC, kind discount_kind, value NUMERIC) RETURNS NUMERIC
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (CASE kind
        WHEN 'percent' THEN fee - round(fee * value / 100, 2)
        WHEN 'amount' THEN greatest(fee - value, 0)
        ELSE fee
    END)::numeric(12, 2);
