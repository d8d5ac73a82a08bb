DROP TABLE course_enrollments;
DROP TABLE students;
DROP TABLE student_id_counters;
DROP TYPE assignment_type;
DROP TYPE enrollment_status;
DROP TYPE student_status;
