DROP TABLE lessons;
DROP TABLE modules;
DROP TABLE curricula;
DROP TABLE course_tutors;
DROP TABLE course_session_types;
DROP TABLE course_location_types;
DROP TABLE course_age_groups;
DROP TABLE courses;
