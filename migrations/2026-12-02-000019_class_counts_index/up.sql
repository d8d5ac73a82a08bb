-- The dashboard counts the places filled and waited for in every class of a program: the
-- enrollments in classes of one program, without reading the program's other enrollments.
CREATE INDEX course_enrollments_program_class_idx ON course_enrollments (program_id, class_id, status)
    WHERE class_id IS NOT NULL;
