DROP TABLE imports;
DROP TYPE import_status;
