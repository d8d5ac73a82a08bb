-- The foreign keys from invoice lines to enrollments and charges are checked with a lookup of
-- invoice_lines by the referenced id whenever an enrollment or a charge is deleted (removing a
-- charge is an everyday action). The unique indexes on those columns only cover lines not voided,
-- so the check read every line of every program: about 150 ms a removed charge at 1,000,000
-- students (2,100,000 lines), and the benchmark's clean-up of 6,000 enrollments took 10 minutes.
CREATE INDEX invoice_lines_enrollment_idx ON invoice_lines (enrollment_id) WHERE enrollment_id IS NOT NULL;
CREATE INDEX invoice_lines_charge_idx ON invoice_lines (charge_id) WHERE charge_id IS NOT NULL;
