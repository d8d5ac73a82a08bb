-- Invoices (issue 20, docs/decisions.md "Fees"): what a student is billed per billing period,
-- line by line. Totals are never stored: an invoice's total is the SUM of its lines.

CREATE TYPE invoice_status AS ENUM ('draft', 'issued', 'partly_paid', 'paid', 'void');
CREATE TYPE invoice_kind AS ENUM ('invoice', 'credit_note');

-- Numbers are handed out per program, kind and year under this row's lock, never reused: a void
-- invoice keeps its number.
CREATE TABLE invoice_counters (
    program_id  UUID         NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    kind        invoice_kind NOT NULL,
    year        INTEGER      NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    last_number INTEGER      NOT NULL CHECK (last_number >= 0),
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, kind, year)
);
SELECT manage_updated_at('invoice_counters');

CREATE TABLE invoices (
    id             UUID           PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id     UUID           NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    student_id     UUID           NOT NULL,
    kind           invoice_kind   NOT NULL DEFAULT 'invoice',
    number         VARCHAR(16)    NOT NULL CHECK (number ~ '^(INV|CRN)-[0-9]{4}-[0-9]{5,}$'),
    status         invoice_status NOT NULL DEFAULT 'issued',
    period_start   DATE           NOT NULL,
    period_end     DATE           NOT NULL,
    period_name    VARCHAR(160)   NOT NULL CHECK (period_name <> ''),
    issued_on      DATE           NOT NULL,
    due_on         DATE           NOT NULL,
    credit_note_of UUID,
    void_reason    TEXT           NOT NULL DEFAULT '',
    voided_by      UUID           REFERENCES users (id) ON DELETE SET NULL,
    voided_at      TIMESTAMPTZ,
    created_by     UUID           REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ    NOT NULL DEFAULT now(),
    CHECK (period_end >= period_start),
    CHECK (due_on >= issued_on),
    CHECK ((status = 'void') = (voided_at IS NOT NULL)),
    CHECK (status <> 'void' OR void_reason <> ''),
    CHECK ((kind = 'credit_note') = (credit_note_of IS NOT NULL)),
    UNIQUE (program_id, number),
    UNIQUE (id, program_id),
    FOREIGN KEY (student_id, program_id) REFERENCES students (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (credit_note_of, program_id) REFERENCES invoices (id, program_id) ON DELETE RESTRICT
);
CREATE INDEX invoices_student_idx ON invoices (student_id, issued_on DESC, id DESC);
CREATE INDEX invoices_program_period_idx ON invoices (program_id, period_start, id);
SELECT manage_updated_at('invoices');

CREATE TABLE invoice_lines (
    id            UUID           PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id    UUID           NOT NULL,
    invoice_id    UUID           NOT NULL,
    -- The enrollment a fee line bills (none for a one-off line: registration, kit).
    enrollment_id UUID,
    -- The first day of the billing period the line bills.
    period_start  DATE           NOT NULL,
    description   VARCHAR(300)   NOT NULL CHECK (description <> ''),
    -- How a prorated amount was reached ("4 of 5 sessions"); empty for a whole period.
    share_note    VARCHAR(160)   NOT NULL DEFAULT '',
    amount        NUMERIC(12, 2) NOT NULL CHECK (amount >= 0),
    -- Set when the invoice is voided, so the enrollment may be billed for the period again.
    voided        BOOLEAN        NOT NULL DEFAULT false,
    created_at    TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ    NOT NULL DEFAULT now(),
    FOREIGN KEY (invoice_id, program_id) REFERENCES invoices (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (enrollment_id, program_id) REFERENCES course_enrollments (id, program_id) ON DELETE RESTRICT
);
-- An enrollment is billed at most once per period, whatever runs the billing.
CREATE UNIQUE INDEX invoice_lines_once_per_period
    ON invoice_lines (enrollment_id, period_start) WHERE enrollment_id IS NOT NULL AND NOT voided;
CREATE INDEX invoice_lines_invoice_idx ON invoice_lines (invoice_id);
SELECT manage_updated_at('invoice_lines');
