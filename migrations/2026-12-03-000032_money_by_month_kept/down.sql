DROP TRIGGER payments_money_by_month ON payments;
DROP FUNCTION payments_money_by_month();
DROP TRIGGER invoice_lines_money_by_month_delete ON invoice_lines;
DROP TRIGGER invoice_lines_money_by_month_update ON invoice_lines;
DROP TRIGGER invoice_lines_money_by_month_insert ON invoice_lines;
DROP FUNCTION invoice_lines_money_by_month();
DROP FUNCTION money_by_month_add(UUID, DATE, NUMERIC, NUMERIC);
DROP TABLE money_by_month;
