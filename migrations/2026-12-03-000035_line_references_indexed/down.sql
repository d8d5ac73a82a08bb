DROP INDEX invoice_lines_charge_idx;
DROP INDEX invoice_lines_enrollment_idx;
