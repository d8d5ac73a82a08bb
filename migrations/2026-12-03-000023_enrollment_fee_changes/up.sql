-- Every change of an enrollment's fee or discount, with who made it and when (docs/decisions.md,
-- "Fees": every money change keeps who and when). A row keeps the fee and discount as they became.
CREATE TYPE fee_change_kind AS ENUM ('discount', 'price_applied');

CREATE TABLE enrollment_fee_changes (
    id              UUID            PRIMARY KEY DEFAULT uuid_generate_v7(),
    enrollment_id   UUID            NOT NULL,
    program_id      UUID            NOT NULL,
    kind            fee_change_kind NOT NULL,
    agreed_fee      NUMERIC(12, 2)  NOT NULL CHECK (agreed_fee >= 0),
    discount_kind   discount_kind   NOT NULL,
    discount_value  NUMERIC(12, 2)  NOT NULL,
    discount_reason VARCHAR(160)    NOT NULL,
    changed_by      UUID            REFERENCES users (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ     NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ     NOT NULL DEFAULT now(),
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE CASCADE
);
CREATE INDEX enrollment_fee_changes_enrollment_idx
    ON enrollment_fee_changes (enrollment_id, created_at DESC);
SELECT manage_updated_at('enrollment_fee_changes');
