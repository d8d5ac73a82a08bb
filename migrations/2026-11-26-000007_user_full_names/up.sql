-- Staff are searched by name (issue 3); the seed has no name column.
ALTER TABLE users ADD COLUMN full_name VARCHAR(120) NOT NULL DEFAULT '';
CREATE INDEX users_full_name_idx ON users (lower(full_name));
