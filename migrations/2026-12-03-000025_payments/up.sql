-- Payments (issue 20, docs/decisions.md "Fees"): money received from a family, and what each
-- payment paid. A payment is allocated to invoices (oldest first when it is for the student's
-- open invoices); what no invoice takes stays the student's credit for the next one.

CREATE TYPE payment_method AS ENUM ('cash', 'bank_transfer', 'card', 'other');
-- A refund gives back (part of) a payment's credit: money the family paid that no invoice took.
CREATE TYPE payment_kind AS ENUM ('payment', 'refund');

-- Receipt numbers `RCT-YYYY-NNNNN`, per program and year, like invoice numbers.
CREATE TABLE receipt_counters (
    program_id  UUID        NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    year        INTEGER     NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    last_number INTEGER     NOT NULL CHECK (last_number >= 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, year)
);
SELECT manage_updated_at('receipt_counters');

CREATE TABLE payments (
    id          UUID           PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id  UUID           NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    student_id  UUID           NOT NULL,
    kind        payment_kind   NOT NULL DEFAULT 'payment',
    number      VARCHAR(16)    NOT NULL CHECK (number ~ '^(RCT|RFD)-[0-9]{4}-[0-9]{5,}$'),
    amount      NUMERIC(12, 2) NOT NULL CHECK (amount > 0),
    paid_on     DATE           NOT NULL,
    method      payment_method NOT NULL,
    reference   VARCHAR(120)   NOT NULL DEFAULT '',
    -- The payment a refund gives back, and why.
    refund_of   UUID,
    reason      TEXT           NOT NULL DEFAULT '',
    recorded_by UUID           REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ    NOT NULL DEFAULT now(),
    UNIQUE (program_id, number),
    UNIQUE (id, program_id),
    CHECK ((kind = 'refund') = (refund_of IS NOT NULL)),
    CHECK (kind = 'payment' OR reason <> ''),
    FOREIGN KEY (student_id, program_id) REFERENCES students (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (refund_of, program_id) REFERENCES payments (id, program_id) ON DELETE RESTRICT
);
CREATE INDEX payments_refund_of_idx ON payments (refund_of);
CREATE INDEX payments_student_idx ON payments (student_id, paid_on DESC, id DESC);
SELECT manage_updated_at('payments');

CREATE TABLE payment_allocations (
    id         UUID           PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id UUID           NOT NULL,
    payment_id UUID           NOT NULL,
    invoice_id UUID           NOT NULL,
    amount     NUMERIC(12, 2) NOT NULL CHECK (amount > 0),
    created_at TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ    NOT NULL DEFAULT now(),
    FOREIGN KEY (payment_id, program_id) REFERENCES payments (id, program_id) ON DELETE RESTRICT,
    FOREIGN KEY (invoice_id, program_id) REFERENCES invoices (id, program_id) ON DELETE RESTRICT
);
CREATE INDEX payment_allocations_payment_idx ON payment_allocations (payment_id);
CREATE INDEX payment_allocations_invoice_idx ON payment_allocations (invoice_id);
SELECT manage_updated_at('payment_allocations');

-- Whatever writes them, an invoice is never paid beyond its total and a payment never allocated
-- beyond its amount. The allocation locks its invoice and payment rows first, so two allocations
-- at once are checked one after the other.
CREATE FUNCTION payment_allocations_within_totals() RETURNS trigger AS $$
DECLARE
    invoice_total NUMERIC;
    invoice_paid  NUMERIC;
    payment_total NUMERIC;
    payment_used  NUMERIC;
BEGIN
    PERFORM 1 FROM invoices WHERE id = NEW.invoice_id FOR UPDATE;
    SELECT amount INTO payment_total FROM payments WHERE id = NEW.payment_id FOR UPDATE;
    SELECT coalesce(sum(amount), 0) INTO invoice_total FROM invoice_lines WHERE invoice_id = NEW.invoice_id;
    SELECT coalesce(sum(amount), 0) INTO invoice_paid FROM payment_allocations WHERE invoice_id = NEW.invoice_id;
    SELECT coalesce(sum(amount), 0) INTO payment_used FROM payment_allocations WHERE payment_id = NEW.payment_id;
    payment_used := payment_used + (SELECT coalesce(sum(amount), 0) FROM payments WHERE refund_of = NEW.payment_id);
    IF invoice_paid > invoice_total OR payment_used > payment_total THEN
        RAISE EXCEPTION 'an allocation beyond the invoice''s total or the payment''s amount'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_allocations_within_totals';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER payment_allocations_within_totals
    AFTER INSERT OR UPDATE ON payment_allocations
    FOR EACH ROW EXECUTE FUNCTION payment_allocations_within_totals();

-- A refund never gives back more than its payment's credit: the payment less what invoices took
-- and what earlier refunds gave back. The payment row is locked first.
CREATE FUNCTION payments_refund_within_credit() RETURNS trigger AS $$
DECLARE
    paid NUMERIC;
    used NUMERIC;
BEGIN
    IF NEW.kind <> 'refund' THEN
        RETURN NULL;
    END IF;
    SELECT amount INTO paid FROM payments WHERE id = NEW.refund_of AND kind = 'payment' FOR UPDATE;
    IF paid IS NULL THEN
        RAISE EXCEPTION 'a refund gives back a payment'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_refund_within_credit';
    END IF;
    SELECT coalesce(sum(amount), 0) INTO used FROM payment_allocations WHERE payment_id = NEW.refund_of;
    used := used + (SELECT coalesce(sum(amount), 0) FROM payments WHERE refund_of = NEW.refund_of);
    IF used > paid THEN
        RAISE EXCEPTION 'a refund beyond the payment''s credit'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_refund_within_credit';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER payments_refund_within_credit
    AFTER INSERT ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_refund_within_credit();
