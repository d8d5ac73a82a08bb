DROP INDEX invoice_lines_charge_once;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_charge_check;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_charge_fkey;
ALTER TABLE invoice_lines DROP COLUMN charge_id;
DROP TABLE charges;
