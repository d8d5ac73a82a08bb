DROP FUNCTION issue_invoices(UUID[], TEXT[], DATE, DATE);
DROP TRIGGER invoices_money_by_month ON invoices;
DROP FUNCTION invoices_money_by_month();
DROP TRIGGER invoice_lines_kept ON invoice_lines;
DROP FUNCTION invoice_lines_kept();
DROP TRIGGER invoices_kept_update ON invoices;
DROP TRIGGER invoices_kept_delete ON invoices;
DROP FUNCTION invoices_kept();
DELETE FROM invoice_lines l USING invoices i WHERE i.id = l.invoice_id AND i.status = 'draft';
DELETE FROM invoices WHERE status = 'draft';
DROP INDEX invoices_drafts_idx;
ALTER TABLE invoices DROP CONSTRAINT invoices_draft_is_an_invoice;
ALTER TABLE invoices DROP CONSTRAINT invoices_numbered_once_issued;
ALTER TABLE invoices ALTER COLUMN number SET NOT NULL;
-- Billed per month as before drafts (migration 000032).
CREATE OR REPLACE FUNCTION invoice_lines_money_by_month() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM money_by_month_add(program_id, month, sum(amount), 0) FROM (
            SELECT program_id, date_trunc('month', period_start)::date AS month,
                   CASE kind WHEN 'invoice' THEN amount ELSE -amount END AS amount
              FROM changed_lines WHERE NOT voided) x
         GROUP BY program_id, month ORDER BY program_id, month;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM money_by_month_add(program_id, month, -sum(amount), 0) FROM (
            SELECT program_id, date_trunc('month', period_start)::date AS month,
                   CASE kind WHEN 'invoice' THEN amount ELSE -amount END AS amount
              FROM changed_lines WHERE NOT voided) x
         GROUP BY program_id, month ORDER BY program_id, month;
    ELSE
        PERFORM money_by_month_add(program_id, month, sum(amount), 0) FROM (
            SELECT n.program_id, date_trunc('month', n.period_start)::date AS month,
                   (CASE n.kind WHEN 'invoice' THEN n.amount ELSE -n.amount END)
                 * (CASE WHEN n.voided THEN -1 ELSE 1 END) AS amount
              FROM new_lines n JOIN old_lines o ON o.id = n.id
             WHERE n.voided <> o.voided) x
         GROUP BY program_id, month ORDER BY program_id, month;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
