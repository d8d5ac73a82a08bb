DROP INDEX invoices_program_list_idx;
