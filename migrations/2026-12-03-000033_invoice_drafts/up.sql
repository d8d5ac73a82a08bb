-- Draft invoices (issue 20, docs/decisions.md "Invoices"): a run may save its invoices as drafts
-- for the program admin to look over before families are billed. A draft has no number yet
-- (numbers run without gaps, so one is handed out only when the draft is issued), counts for
-- nothing (balances, statements, the dashboard) and may be discarded; an invoice once issued is
-- never deleted. Its lines hold their enrollments' and charges' places for the period like any
-- invoice's, so a second run does not bill them twice.

ALTER TABLE invoices ALTER COLUMN number DROP NOT NULL;
ALTER TABLE invoices ADD CONSTRAINT invoices_numbered_once_issued
    CHECK ((status = 'draft') = (number IS NULL));
ALTER TABLE invoices ADD CONSTRAINT invoices_draft_is_an_invoice
    CHECK (status <> 'draft' OR kind = 'invoice');
CREATE INDEX invoices_drafts_idx ON invoices (program_id, period_start) WHERE status = 'draft';

-- Only a draft is ever deleted, and nothing goes back to draft.
CREATE FUNCTION invoices_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'an issued invoice is never deleted or made a draft again; void it or credit it'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_kept';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoices_kept_delete BEFORE DELETE ON invoices
    FOR EACH ROW WHEN (OLD.status <> 'draft') EXECUTE FUNCTION invoices_kept();
CREATE TRIGGER invoices_kept_update BEFORE UPDATE ON invoices
    FOR EACH ROW WHEN (OLD.status <> 'draft' AND NEW.status = 'draft') EXECUTE FUNCTION invoices_kept();

CREATE FUNCTION invoice_lines_kept() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND status <> 'draft') THEN
        RAISE EXCEPTION 'the lines of an issued invoice are never deleted; issue a credit note'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_kept';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoice_lines_kept BEFORE DELETE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION invoice_lines_kept();

-- Billed per month counts the lines of invoices that are issued, not drafts: lines written to a
-- draft count when it is issued (below), and a discarded draft's lines never counted.
CREATE OR REPLACE FUNCTION invoice_lines_money_by_month() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM money_by_month_add(program_id, month, sum(amount), 0) FROM (
            SELECT c.program_id, date_trunc('month', c.period_start)::date AS month,
                   CASE c.kind WHEN 'invoice' THEN c.amount ELSE -c.amount END AS amount
              FROM changed_lines c JOIN invoices i ON i.id = c.invoice_id
             WHERE NOT c.voided AND i.status <> 'draft') x
         GROUP BY program_id, month ORDER BY program_id, month;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM money_by_month_add(program_id, month, -sum(amount), 0) FROM (
            SELECT c.program_id, date_trunc('month', c.period_start)::date AS month,
                   CASE c.kind WHEN 'invoice' THEN c.amount ELSE -c.amount END AS amount
              FROM changed_lines c JOIN invoices i ON i.id = c.invoice_id
             WHERE NOT c.voided AND i.status <> 'draft') x
         GROUP BY program_id, month ORDER BY program_id, month;
    ELSE
        PERFORM money_by_month_add(program_id, month, sum(amount), 0) FROM (
            SELECT n.program_id, date_trunc('month', n.period_start)::date AS month,
                   (CASE n.kind WHEN 'invoice' THEN n.amount ELSE -n.amount END)
                 * (CASE WHEN n.voided THEN -1 ELSE 1 END) AS amount
              FROM new_lines n JOIN old_lines o ON o.id = n.id
              JOIN invoices i ON i.id = n.invoice_id
             WHERE n.voided <> o.voided AND i.status <> 'draft') x
         GROUP BY program_id, month ORDER BY program_id, month;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Drafts issued: their lines count as billed, once per month and statement.
CREATE FUNCTION invoices_money_by_month() RETURNS trigger AS $$
BEGIN
    PERFORM money_by_month_add(program_id, month, sum(amount), 0) FROM (
        SELECT l.program_id, date_trunc('month', l.period_start)::date AS month, l.amount
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          JOIN invoice_lines l ON l.invoice_id = n.id
         WHERE o.status = 'draft' AND n.status <> 'draft' AND NOT l.voided) x
     GROUP BY program_id, month ORDER BY program_id, month;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoices_money_by_month AFTER UPDATE ON invoices
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_money_by_month();

-- Issues drafts in one statement: each id gets its number (reserved by the caller under the
-- counter's lock, in the order it wants them), the day of issue and the due date. Called with ids
-- the caller read through its program's scope; a row that is no longer a draft is left alone.
-- How many were issued.
CREATE FUNCTION issue_invoices(ids UUID[], numbers TEXT[], issued DATE, due DATE)
RETURNS INTEGER AS $$
    WITH issued_rows AS (
        UPDATE invoices i
           SET status = 'issued', number = d.number, issued_on = issued, due_on = due
          FROM unnest(ids, numbers) AS d (id, number)
         WHERE i.id = d.id AND i.status = 'draft'
        RETURNING 1)
    SELECT count(*)::integer FROM issued_rows;
$$ LANGUAGE sql;
