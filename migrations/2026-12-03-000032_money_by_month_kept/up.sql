-- The dashboard's billed and collected per month (issue 20), kept by the database: summing a
-- program's 100,000 invoice lines a month on every dashboard request made it the slowest page
-- (55 requests a second at 1M students). Triggers keep, per program and month, what was billed
-- (invoice lines not void, less credit notes, by the month the line bills) and collected
-- (payments less refunds, by the month paid), whatever writes. The ledger test checks them
-- against the sums.

CREATE TABLE money_by_month (
    program_id UUID           NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    month      DATE           NOT NULL CHECK (extract(day FROM month) = 1),
    billed     NUMERIC(14, 2) NOT NULL DEFAULT 0,
    collected  NUMERIC(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (program_id, month)
);
INSERT INTO money_by_month (program_id, month, billed, collected)
SELECT program_id, month, sum(billed), sum(collected) FROM (
    SELECT program_id, date_trunc('month', period_start)::date AS month,
           CASE kind WHEN 'invoice' THEN amount ELSE -amount END AS billed, 0 AS collected
      FROM invoice_lines WHERE NOT voided
    UNION ALL
    SELECT program_id, date_trunc('month', paid_on)::date,
           0, CASE kind WHEN 'payment' THEN amount ELSE -amount END
      FROM payments) x
GROUP BY program_id, month;

-- Adds each (program, month)'s change, in key order.
CREATE FUNCTION money_by_month_add(program UUID, at DATE, billed NUMERIC, collected NUMERIC)
RETURNS void AS $$
    INSERT INTO money_by_month AS m (program_id, month, billed, collected)
    VALUES (program, date_trunc('month', at)::date, billed, collected)
    ON CONFLICT (program_id, month) DO UPDATE
       SET billed = m.billed + excluded.billed, collected = m.collected + excluded.collected;
$$ LANGUAGE sql;

-- Lines written, voided (or un-voided) or removed: billed follows, once per month and statement.
CREATE FUNCTION invoice_lines_money_by_month() RETURNS trigger AS $$
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
CREATE TRIGGER invoice_lines_money_by_month_insert AFTER INSERT ON invoice_lines
    REFERENCING NEW TABLE AS changed_lines
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_money_by_month();
CREATE TRIGGER invoice_lines_money_by_month_update AFTER UPDATE ON invoice_lines
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_money_by_month();
CREATE TRIGGER invoice_lines_money_by_month_delete AFTER DELETE ON invoice_lines
    REFERENCING OLD TABLE AS changed_lines
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_money_by_month();

-- Payments and refunds recorded (or removed): collected follows.
CREATE FUNCTION payments_money_by_month() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM money_by_month_add(OLD.program_id, OLD.paid_on, 0,
            CASE OLD.kind WHEN 'payment' THEN -OLD.amount ELSE OLD.amount END);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM money_by_month_add(NEW.program_id, NEW.paid_on, 0,
            CASE NEW.kind WHEN 'payment' THEN NEW.amount ELSE -NEW.amount END);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER payments_money_by_month AFTER INSERT OR UPDATE OF amount, paid_on, kind OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_money_by_month();
