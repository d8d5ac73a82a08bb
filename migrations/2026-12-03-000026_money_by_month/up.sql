-- The dashboard's billed and collected per month (issue 20): a program's lines and payments read
-- by date.
CREATE INDEX invoice_lines_program_period_idx ON invoice_lines (program_id, period_start) WHERE NOT voided;
CREATE INDEX payments_program_paid_on_idx ON payments (program_id, paid_on);
