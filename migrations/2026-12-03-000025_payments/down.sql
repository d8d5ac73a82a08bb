DROP TABLE payment_allocations;
DROP FUNCTION payment_allocations_within_totals();
DROP TABLE payments;
DROP FUNCTION payments_refund_within_credit();
DROP TYPE payment_kind;
DROP TABLE receipt_counters;
DROP TYPE payment_method;
