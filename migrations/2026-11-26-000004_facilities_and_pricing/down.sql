DROP TABLE facility_course_pricing;
DROP TABLE facilities;
DROP TYPE facility_status;
DROP TYPE facility_type;
