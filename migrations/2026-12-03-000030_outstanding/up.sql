-- What is owed, kept by the database (issue 20, docs/decisions.md "Fees"): the balances page of a
-- program with 50,000 invoices a month cannot sum every open invoice's lines and payments on each
-- request. Each invoice keeps what it still asks (`outstanding`: its lines less the lines crediting
-- it less its payments), and each program what its open invoices still ask by due date
-- (`outstanding_by_due`). Triggers keep both, whatever writes: lines and invoices per statement
-- (an invoice run writes thousands per statement), allocations per row. A test checks both
-- against the sums after every kind of write.

ALTER TABLE invoices ADD COLUMN outstanding NUMERIC(12, 2) NOT NULL DEFAULT 0;
UPDATE invoices i SET outstanding =
      coalesce((SELECT sum(amount) FROM invoice_lines l WHERE l.invoice_id = i.id), 0)
    - coalesce((SELECT sum(amount) FROM invoice_lines c WHERE c.credit_of = i.id), 0)
    - coalesce((SELECT sum(amount) FROM payment_allocations a WHERE a.invoice_id = i.id), 0)
  WHERE kind = 'invoice';

CREATE TABLE outstanding_by_due (
    program_id UUID           NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    due_on     DATE           NOT NULL,
    amount     NUMERIC(14, 2) NOT NULL,
    -- No CHECK (invoices >= 0): an upsert's proposed row (a delta, maybe negative) is checked
    -- before its conflict turns it into an update.
    invoices   INTEGER        NOT NULL,
    PRIMARY KEY (program_id, due_on)
);
INSERT INTO outstanding_by_due (program_id, due_on, amount, invoices)
SELECT program_id, due_on, sum(outstanding), count(*) FROM invoices
 WHERE kind = 'invoice' AND status IN ('issued', 'partly_paid')
 GROUP BY program_id, due_on;

-- An invoice's lines are never changed: a correction is a credit note.
CREATE FUNCTION invoice_lines_fixed() RETURNS trigger AS $$
BEGIN
    IF NEW.amount <> OLD.amount OR NEW.invoice_id <> OLD.invoice_id OR NEW.kind <> OLD.kind
       OR NEW.credit_of IS DISTINCT FROM OLD.credit_of THEN
        RAISE EXCEPTION 'an invoice''s lines are never changed; issue a credit note'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_lines_fixed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoice_lines_fixed BEFORE UPDATE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION invoice_lines_fixed();

-- Lines written or removed: their invoices' (and credited invoices') outstanding follow.
CREATE FUNCTION invoice_lines_outstanding() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE invoices i SET outstanding = i.outstanding + d.amount
          FROM (SELECT id, sum(amount) AS amount FROM (
                  SELECT invoice_id AS id, amount FROM changed_lines WHERE kind = 'invoice'
                  UNION ALL
                  SELECT credit_of, -amount FROM changed_lines WHERE kind = 'credit_note') x
                GROUP BY id ORDER BY id) d
         WHERE i.id = d.id;
    ELSE
        UPDATE invoices i SET outstanding = i.outstanding - d.amount
          FROM (SELECT id, sum(amount) AS amount FROM (
                  SELECT invoice_id AS id, amount FROM changed_lines WHERE kind = 'invoice'
                  UNION ALL
                  SELECT credit_of, -amount FROM changed_lines WHERE kind = 'credit_note') x
                GROUP BY id ORDER BY id) d
         WHERE i.id = d.id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoice_lines_outstanding_insert AFTER INSERT ON invoice_lines
    REFERENCING NEW TABLE AS changed_lines
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_outstanding();
CREATE TRIGGER invoice_lines_outstanding_delete AFTER DELETE ON invoice_lines
    REFERENCING OLD TABLE AS changed_lines
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_outstanding();

-- Payments allocated, changed or taken back: the invoice's outstanding follows.
CREATE FUNCTION payment_allocations_outstanding() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE invoices SET outstanding = outstanding + OLD.amount WHERE id = OLD.invoice_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE invoices SET outstanding = outstanding - NEW.amount WHERE id = NEW.invoice_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER payment_allocations_outstanding AFTER INSERT OR UPDATE OR DELETE ON payment_allocations
    FOR EACH ROW EXECUTE FUNCTION payment_allocations_outstanding();

-- Open invoices written, changed or removed: their program's totals by due date follow, one
-- upsert per due date and statement.
CREATE FUNCTION invoices_outstanding_by_due() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO outstanding_by_due AS o (program_id, due_on, amount, invoices)
        SELECT program_id, due_on, sum(outstanding), count(*) FROM new_rows
         WHERE kind = 'invoice' AND status IN ('issued', 'partly_paid')
         GROUP BY program_id, due_on ORDER BY program_id, due_on
        ON CONFLICT (program_id, due_on) DO UPDATE
           SET amount = o.amount + excluded.amount, invoices = o.invoices + excluded.invoices;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO outstanding_by_due AS o (program_id, due_on, amount, invoices)
        SELECT program_id, due_on, sum(amount), sum(n) FROM (
                 SELECT program_id, due_on, outstanding AS amount, 1 AS n FROM new_rows
                  WHERE kind = 'invoice' AND status IN ('issued', 'partly_paid')
                 UNION ALL
                 SELECT program_id, due_on, -outstanding, -1 FROM old_rows
                  WHERE kind = 'invoice' AND status IN ('issued', 'partly_paid')) d
         GROUP BY program_id, due_on
        HAVING sum(amount) <> 0 OR sum(n) <> 0
         ORDER BY program_id, due_on
        ON CONFLICT (program_id, due_on) DO UPDATE
           SET amount = o.amount + excluded.amount, invoices = o.invoices + excluded.invoices;
    ELSE
        UPDATE outstanding_by_due o SET amount = o.amount - d.amount, invoices = o.invoices - d.n
          FROM (SELECT program_id, due_on, sum(outstanding) AS amount, count(*) AS n FROM old_rows
                 WHERE kind = 'invoice' AND status IN ('issued', 'partly_paid')
                 GROUP BY program_id, due_on) d
         WHERE o.program_id = d.program_id AND o.due_on = d.due_on;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoices_outstanding_by_due_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_outstanding_by_due();
CREATE TRIGGER invoices_outstanding_by_due_update AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_outstanding_by_due();
CREATE TRIGGER invoices_outstanding_by_due_delete AFTER DELETE ON invoices
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_outstanding_by_due();
