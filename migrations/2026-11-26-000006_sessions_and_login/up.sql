-- Server-side store behind actix-session: the cookie carries only a random key, so logging out
-- or rotating the key at login really ends the old session.
CREATE TABLE http_sessions (
    session_key VARCHAR(128) PRIMARY KEY,
    state       JSONB       NOT NULL DEFAULT '{}',
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX http_sessions_expires_at_idx ON http_sessions (expires_at);
SELECT manage_updated_at('http_sessions');

-- Failed logins per account and per client address, to slow down password guessing.
CREATE TABLE login_failures (
    throttle_key    VARCHAR(320) PRIMARY KEY,
    failures        INTEGER     NOT NULL DEFAULT 0,
    first_failed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_until    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
SELECT manage_updated_at('login_failures');
