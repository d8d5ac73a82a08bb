CREATE TYPE user_role AS ENUM ('super_admin', 'program_admin', 'program_coordinator', 'tutor');

CREATE TABLE users (
    id            UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    username      VARCHAR(64)  NOT NULL CHECK (username <> ''),
    email         VARCHAR(254) NOT NULL CHECK (email LIKE '%_@_%'),
    password_hash VARCHAR(255) NOT NULL,
    role          user_role    NOT NULL,
    is_active     BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- Login accepts either name in any case, so both are unique case-insensitively.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_role_idx ON users (role);
SELECT manage_updated_at('users');

CREATE TABLE programs (
    id          UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name        VARCHAR(120) NOT NULL CHECK (name <> ''),
    description TEXT         NOT NULL DEFAULT '',
    is_active   BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX programs_name_key ON programs (lower(name));
SELECT manage_updated_at('programs');

CREATE TABLE user_program_assignments (
    id          UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    -- Assignments are configuration of the program and of the user: they go with either.
    user_id     UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    program_id  UUID        NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    assigned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    assigned_by UUID        REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (user_id, program_id)
);
CREATE INDEX user_program_assignments_program_id_idx ON user_program_assignments (program_id);
SELECT manage_updated_at('user_program_assignments');

-- Program reference data (docs/decisions.md): each program defines its own age groups and session types.
CREATE TABLE age_groups (
    id         UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id UUID        NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    code       VARCHAR(32) NOT NULL CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*\+?$'),
    name       VARCHAR(80) NOT NULL CHECK (name <> ''),
    min_age    INTEGER     NOT NULL CHECK (min_age BETWEEN 0 AND 120),
    max_age    INTEGER     CHECK (max_age IS NULL OR max_age BETWEEN min_age AND 120),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (program_id, code)
);
SELECT manage_updated_at('age_groups');

CREATE TABLE session_types (
    id         UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    program_id UUID        NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    code       VARCHAR(32) NOT NULL CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name       VARCHAR(80) NOT NULL CHECK (name <> ''),
    capacity   INTEGER     NOT NULL CHECK (capacity BETWEEN 1 AND 100),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (program_id, code)
);
SELECT manage_updated_at('session_types');
