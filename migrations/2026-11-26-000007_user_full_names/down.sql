DROP INDEX IF EXISTS users_full_name_idx;
ALTER TABLE users DROP COLUMN full_name;
