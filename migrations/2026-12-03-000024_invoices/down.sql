DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE invoice_counters;
DROP TYPE invoice_kind;
DROP TYPE invoice_status;
