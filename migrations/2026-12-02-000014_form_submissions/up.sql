-- One row per create form that was saved: the form's one-time token, so that the same form sent
-- twice (a double click, a retry after a lost answer) creates one record, and where that record
-- is, to send the second answer there. Forgotten after a day by the housekeeping.
CREATE TABLE form_submissions (
    token      UUID PRIMARY KEY,
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    location   TEXT        NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX form_submissions_created_at_idx ON form_submissions (created_at);
SELECT manage_updated_at('form_submissions');
