-- Credit notes (issue 20, docs/decisions.md "Fees"): an issued invoice is never edited; a
-- correction is a credit note (kind 'credit_note', numbered CRN-YYYY-NNNNN) that refers to it.
-- Its lines say which invoice they credit (`credit_of`), so what an invoice still asks is its
-- lines less the lines crediting it less what payments took, read without a self-join.

ALTER TABLE invoices ADD CONSTRAINT invoices_id_program_id_kind_key UNIQUE (id, program_id, kind);
CREATE INDEX invoices_credit_note_of_idx ON invoices (credit_note_of) WHERE credit_note_of IS NOT NULL;

ALTER TABLE invoice_lines ADD COLUMN kind invoice_kind NOT NULL DEFAULT 'invoice';
ALTER TABLE invoice_lines ADD COLUMN credit_of UUID;
-- A line is of its invoice's kind; a credit note's line credits an invoice and bills no enrollment.
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_invoice_id_program_id_fkey;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_invoice_kind_fkey
    FOREIGN KEY (invoice_id, program_id, kind) REFERENCES invoices (id, program_id, kind) ON DELETE RESTRICT;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_credit_of_fkey
    FOREIGN KEY (credit_of, program_id) REFERENCES invoices (id, program_id) ON DELETE RESTRICT;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_credit_of_check
    CHECK ((kind = 'credit_note') = (credit_of IS NOT NULL) AND (kind = 'invoice' OR enrollment_id IS NULL));
CREATE INDEX invoice_lines_credit_of_idx ON invoice_lines (credit_of) WHERE credit_of IS NOT NULL;

-- Whatever writes them, the credit notes of an invoice never credit more than it billed less what
-- payments took of it, and a credit note's line credits the invoice its credit note names. The
-- credited invoice is locked first, like an allocation locks it.
CREATE FUNCTION credit_notes_within_invoice() RETURNS trigger AS $$
DECLARE
    named    UUID;
    billed   NUMERIC;
    credited NUMERIC;
    paid     NUMERIC;
BEGIN
    SELECT credit_note_of INTO named FROM invoices WHERE id = NEW.invoice_id;
    PERFORM 1 FROM invoices WHERE id = NEW.credit_of AND kind = 'invoice' FOR UPDATE;
    IF named IS DISTINCT FROM NEW.credit_of OR NOT FOUND THEN
        RAISE EXCEPTION 'a credit note''s line credits the invoice its credit note names'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_within_invoice';
    END IF;
    SELECT coalesce(sum(amount), 0) INTO billed FROM invoice_lines WHERE invoice_id = NEW.credit_of;
    SELECT coalesce(sum(amount), 0) INTO credited FROM invoice_lines WHERE credit_of = NEW.credit_of;
    SELECT coalesce(sum(amount), 0) INTO paid FROM payment_allocations WHERE invoice_id = NEW.credit_of;
    IF credited + paid > billed THEN
        RAISE EXCEPTION 'a credit note beyond what its invoice still asks'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_notes_within_invoice';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER credit_notes_within_invoice
    AFTER INSERT OR UPDATE ON invoice_lines
    FOR EACH ROW WHEN (NEW.kind = 'credit_note')
    EXECUTE FUNCTION credit_notes_within_invoice();

-- An invoice is never paid beyond its total less its credit notes.
CREATE OR REPLACE FUNCTION payment_allocations_within_totals() RETURNS trigger AS $$
DECLARE
    invoice_total NUMERIC;
    invoice_paid  NUMERIC;
    payment_total NUMERIC;
    payment_used  NUMERIC;
BEGIN
    PERFORM 1 FROM invoices WHERE id = NEW.invoice_id FOR UPDATE;
    SELECT amount INTO payment_total FROM payments WHERE id = NEW.payment_id FOR UPDATE;
    SELECT coalesce(sum(amount), 0) INTO invoice_total FROM invoice_lines WHERE invoice_id = NEW.invoice_id;
    invoice_total := invoice_total - (SELECT coalesce(sum(amount), 0) FROM invoice_lines WHERE credit_of = NEW.invoice_id);
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
