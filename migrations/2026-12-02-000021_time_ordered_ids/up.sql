-- Rows that are written all day (students, enrollments, their histories, attendance) get keys in
-- time order (UUID version 7, RFC 9562): a new key lands on the right-hand page of each index
-- that starts with it (the primary key, and `(id, program_id)` that the composite foreign keys
-- use) instead of a random page, so inserts dirty a few hot pages instead of reading cold ones
-- from disk. PostgreSQL 15 has no uuidv7() of its own (it comes in 18): 48 bits of Unix time in
-- milliseconds, then the random bits of a version 4 UUID with the version set to 7.
CREATE FUNCTION uuid_generate_v7() RETURNS uuid AS $$
    SELECT encode(
        set_bit(
            set_bit(
                overlay(uuid_send(gen_random_uuid())
                        PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                        FROM 1 FOR 6),
                52, 1),
            53, 1),
        'hex')::uuid
$$ LANGUAGE sql VOLATILE PARALLEL SAFE;

ALTER TABLE students ALTER COLUMN id SET DEFAULT uuid_generate_v7();
ALTER TABLE course_enrollments ALTER COLUMN id SET DEFAULT uuid_generate_v7();
ALTER TABLE enrollment_status_changes ALTER COLUMN id SET DEFAULT uuid_generate_v7();
ALTER TABLE enrollment_class_changes ALTER COLUMN id SET DEFAULT uuid_generate_v7();
ALTER TABLE class_sessions ALTER COLUMN id SET DEFAULT uuid_generate_v7();
ALTER TABLE attendance ALTER COLUMN id SET DEFAULT uuid_generate_v7();
ALTER TABLE attendance_changes ALTER COLUMN id SET DEFAULT uuid_generate_v7();
ALTER TABLE lesson_credits ALTER COLUMN id SET DEFAULT uuid_generate_v7();
ALTER TABLE lesson_credit_changes ALTER COLUMN id SET DEFAULT uuid_generate_v7();
