DROP TABLE enrollment_fee_changes;
DROP TYPE fee_change_kind;
