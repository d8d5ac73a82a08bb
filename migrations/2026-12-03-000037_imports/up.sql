-- Importing students (and their guardians) from a CSV file (issue 21, docs/decisions.md
-- "Importing students"). The uploaded file is kept as a row here, parsed, so that the mapping
-- screen, the preview and the confirmation all read the same rows, and a second confirmation
-- finds the import done and changes nothing.

CREATE TYPE import_status AS ENUM ('previewing', 'importing', 'imported');

CREATE TABLE imports (
    id          UUID          PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id  UUID          NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    file_name   VARCHAR(255)  NOT NULL DEFAULT '',
    -- The file's header line and its rows, each an array of strings as read.
    headers     JSONB         NOT NULL CHECK (jsonb_typeof(headers) = 'array'),
    rows        JSONB         NOT NULL CHECK (jsonb_typeof(rows) = 'array'),
    row_count   INTEGER       NOT NULL CHECK (row_count > 0),
    -- The column each field is read from: {"first_name": 0, ...}.
    mapping     JSONB         NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(mapping) = 'object'),
    -- Rows corrected on the preview: {"3": {"date_of_birth": "2015-03-24"}}, over the file's values.
    fixes       JSONB         NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(fixes) = 'object'),
    status      import_status NOT NULL DEFAULT 'previewing',
    -- While importing: how far; afterwards: what was done, or why nothing was.
    done        INTEGER       NOT NULL DEFAULT 0 CHECK (done >= 0),
    total       INTEGER       NOT NULL DEFAULT 0 CHECK (total >= 0),
    message     TEXT          NOT NULL DEFAULT '',
    created_by  UUID          REFERENCES users (id) ON DELETE SET NULL,
    finished_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    UNIQUE (id, program_id),
    CHECK ((status = 'imported') = (finished_at IS NOT NULL))
);
CREATE INDEX imports_program_idx ON imports (program_id, created_at DESC);
SELECT manage_updated_at('imports');
