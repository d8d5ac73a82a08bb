CREATE TYPE facility_type AS ENUM ('pool', 'court', 'gym', 'field', 'classroom', 'lab');
CREATE TYPE facility_status AS ENUM ('active', 'maintenance', 'inactive');

CREATE TABLE facilities (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id    UUID            NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    name          VARCHAR(160)    NOT NULL CHECK (name <> ''),
    facility_type facility_type   NOT NULL,
    capacity      INTEGER         NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
    equipment     JSONB           NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(equipment) = 'array'),
    amenities     JSONB           NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(amenities) = 'array'),
    status        facility_status NOT NULL DEFAULT 'active',
    created_at    TIMESTAMPTZ     NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ     NOT NULL DEFAULT now(),
    UNIQUE (id, program_id)
);
CREATE INDEX facilities_program_id_idx ON facilities (program_id, lower(name));
SELECT manage_updated_at('facilities');

CREATE TABLE facility_course_pricing (
    id             UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    facility_id    UUID          NOT NULL,
    course_id      UUID          NOT NULL,
    program_id     UUID          NOT NULL,
    age_group      VARCHAR(32)   NOT NULL,
    location_type  VARCHAR(32)   NOT NULL,
    session_type   VARCHAR(32)   NOT NULL,
    price          NUMERIC(12,2) NOT NULL CHECK (price > 0),
    is_active      BOOLEAN       NOT NULL DEFAULT TRUE,
    effective_date DATE          NOT NULL DEFAULT CURRENT_DATE,
    end_date       DATE          CHECK (end_date IS NULL OR end_date >= effective_date),
    created_by     UUID          REFERENCES users (id) ON DELETE SET NULL,
    updated_by     UUID          REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    -- Facility and course of one program only; and only combinations the course offers.
    FOREIGN KEY (facility_id, program_id) REFERENCES facilities (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (course_id, program_id) REFERENCES courses (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (course_id, age_group) REFERENCES course_age_groups (course_id, age_group),
    FOREIGN KEY (course_id, location_type) REFERENCES course_location_types (course_id, location_type),
    FOREIGN KEY (course_id, session_type) REFERENCES course_session_types (course_id, session_type)
);
-- The seed's rule: one active price per facility, course and configuration.
CREATE UNIQUE INDEX facility_course_pricing_active_key
    ON facility_course_pricing (facility_id, course_id, age_group, location_type, session_type, is_active)
    WHERE is_active = TRUE;
CREATE INDEX facility_course_pricing_program_id_idx ON facility_course_pricing (program_id);
CREATE INDEX facility_course_pricing_course_id_idx ON facility_course_pricing (course_id);
SELECT manage_updated_at('facility_course_pricing');
