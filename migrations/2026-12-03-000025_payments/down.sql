DROP TABLE payment_allocations;
DROP FUNCTION payment_allocations_within_totals();
DROP TABLE payments;
DROP TABLE receipt_counters;
DROP TYPE payment_method;
