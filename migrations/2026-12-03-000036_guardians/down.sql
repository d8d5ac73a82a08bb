ALTER TABLE students ADD COLUMN emergency_contact JSONB NOT NULL DEFAULT '{}';
UPDATE students s SET emergency_contact = jsonb_build_object(
         'name', g.full_name, 'relation', g.relationship, 'phone', g.phone)
  FROM (SELECT DISTINCT ON (l.student_id) l.student_id, g.full_name, g.relationship, g.phone
          FROM student_guardians l JOIN guardians g ON g.id = l.guardian_id
         WHERE l.emergency_contact ORDER BY l.student_id, l.created_at) g
 WHERE g.student_id = s.id;
DROP TABLE student_guardians;
DROP TABLE guardians;
DROP TYPE contact_method;
