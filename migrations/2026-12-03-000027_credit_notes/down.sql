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
DROP TRIGGER credit_notes_within_invoice ON invoice_lines;
DROP FUNCTION credit_notes_within_invoice();
DROP INDEX invoice_lines_credit_of_idx;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_credit_of_check;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_credit_of_fkey;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_invoice_kind_fkey;
ALTER TABLE invoice_lines ADD FOREIGN KEY (invoice_id, program_id) REFERENCES invoices (id, program_id) ON DELETE RESTRICT;
ALTER TABLE invoice_lines DROP COLUMN credit_of;
ALTER TABLE invoice_lines DROP COLUMN kind;
DROP INDEX invoices_credit_note_of_idx;
ALTER TABLE invoices DROP CONSTRAINT invoices_id_program_id_kind_key;
