-- Invoice runs (issue 20, docs/decisions.md "Fees"): who generated which period's invoices, when,
-- and how it went. A large run writes for a while inside one transaction; its progress is written
-- here on another connection, so the page that shows it reads it while the run's own rows are
-- not visible yet (and never will be, if it fails).

CREATE TYPE invoice_run_status AS ENUM ('running', 'done', 'failed');

CREATE TABLE invoice_runs (
    id           UUID               PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id   UUID               NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    period_name  VARCHAR(160)       NOT NULL CHECK (period_name <> ''),
    period_start DATE               NOT NULL,
    period_end   DATE               NOT NULL,
    status       invoice_run_status NOT NULL DEFAULT 'running',
    -- What the run is doing, and how far: "Writing invoices", 12,000 of 50,000.
    step         VARCHAR(80)        NOT NULL DEFAULT 'Reading the enrollments',
    done         INTEGER            NOT NULL DEFAULT 0 CHECK (done >= 0),
    total        INTEGER            NOT NULL DEFAULT 0 CHECK (total >= 0),
    -- The outcome as the admin reads it: what was created, or why nothing was.
    message      TEXT               NOT NULL DEFAULT '',
    started_by   UUID               REFERENCES users (id) ON DELETE SET NULL,
    started_at   TIMESTAMPTZ        NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ        NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ        NOT NULL DEFAULT now(),
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX invoice_runs_program_idx ON invoice_runs (program_id, started_at DESC);
SELECT manage_updated_at('invoice_runs');
