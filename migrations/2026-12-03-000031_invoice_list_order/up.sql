-- The invoice list (newest first) reads one page and a count up to one past it through this
-- index, instead of sorting a program's tens of thousands of invoices per request.
CREATE INDEX invoices_program_list_idx ON invoices (program_id, issued_on DESC, number DESC);
