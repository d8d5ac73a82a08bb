-- One-off charges (issue 20, docs/decisions.md "Fees"): a registration or kit fee a coordinator
-- adds to a student; the next invoice run bills it as a line of the student's invoice, once.

CREATE TABLE charges (
    id          UUID           PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id  UUID           NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    student_id  UUID           NOT NULL,
    description VARCHAR(200)   NOT NULL CHECK (btrim(description) <> ''),
    amount      NUMERIC(12, 2) NOT NULL CHECK (amount > 0),
    -- Billed by the first run of a period that ends on or after this day.
    charged_on  DATE           NOT NULL,
    created_by  UUID           REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ    NOT NULL DEFAULT now(),
    UNIQUE (id, program_id),
    FOREIGN KEY (student_id, program_id) REFERENCES students (id, program_id) ON DELETE RESTRICT
);
CREATE INDEX charges_student_idx ON charges (student_id, charged_on);
CREATE INDEX charges_program_idx ON charges (program_id, charged_on);
SELECT manage_updated_at('charges');

ALTER TABLE invoice_lines ADD COLUMN charge_id UUID;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_charge_fkey
    FOREIGN KEY (charge_id, program_id) REFERENCES charges (id, program_id) ON DELETE RESTRICT;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_charge_check
    CHECK (charge_id IS NULL OR (enrollment_id IS NULL AND kind = 'invoice'));
-- A charge is billed once, whatever runs the billing (a void invoice gives it back).
CREATE UNIQUE INDEX invoice_lines_charge_once
    ON invoice_lines (charge_id) WHERE charge_id IS NOT NULL AND NOT voided;
