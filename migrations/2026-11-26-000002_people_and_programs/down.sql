DROP TABLE session_types;
DROP TABLE age_groups;
DROP TABLE user_program_assignments;
DROP TABLE programs;
DROP TABLE users;
DROP TYPE user_role;
