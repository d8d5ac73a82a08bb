DROP TABLE invoice_runs;
DROP TYPE invoice_run_status;
