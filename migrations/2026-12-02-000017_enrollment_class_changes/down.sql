DROP TABLE enrollment_class_changes;
