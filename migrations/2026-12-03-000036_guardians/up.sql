-- Guardians (issue 21, docs/decisions.md "Guardians"): the parents and others who may be called,
-- pick a child up or pay the fees. Program-scoped like students; a guardian has one or more
-- children and a child one or more guardians (siblings share theirs). What is true for one child
-- (emergency contact, may pick up, pays the fees) is on the link.

CREATE TYPE contact_method AS ENUM ('phone', 'sms', 'whatsapp', 'email');

CREATE TABLE guardians (
    id                UUID           PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id        UUID           NOT NULL REFERENCES programs (id) ON DELETE RESTRICT,
    -- Empty only for a contact moved from a student's emergency contact without a name (nothing
    -- is invented); the form requires it.
    full_name         VARCHAR(160)   NOT NULL,
    relationship      VARCHAR(60)    NOT NULL DEFAULT '',
    phone             VARCHAR(32)    NOT NULL DEFAULT '',
    other_phone       VARCHAR(32)    NOT NULL DEFAULT '',
    email             VARCHAR(254)   NOT NULL DEFAULT '',
    address           TEXT           NOT NULL DEFAULT '',
    preferred_contact contact_method NOT NULL DEFAULT 'phone',
    created_at        TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ    NOT NULL DEFAULT now(),
    UNIQUE (id, program_id)
);
CREATE INDEX guardians_program_name_idx ON guardians (program_id, lower(full_name), id);
CREATE INDEX guardians_search_idx ON guardians
    USING gin (program_id, (full_name || ' ' || phone || ' ' || other_phone || ' ' || email) gin_trgm_ops);
SELECT manage_updated_at('guardians');
SELECT track_history('guardians');

CREATE TABLE student_guardians (
    id                UUID        PRIMARY KEY DEFAULT uuid_generate_v7(),
    program_id        UUID        NOT NULL,
    student_id        UUID        NOT NULL,
    guardian_id       UUID        NOT NULL,
    emergency_contact BOOLEAN     NOT NULL DEFAULT false,
    may_pick_up       BOOLEAN     NOT NULL DEFAULT false,
    pays_fees         BOOLEAN     NOT NULL DEFAULT false,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (student_id, guardian_id),
    FOREIGN KEY (student_id, program_id) REFERENCES students (id, program_id) ON DELETE CASCADE,
    FOREIGN KEY (guardian_id, program_id) REFERENCES guardians (id, program_id) ON DELETE CASCADE
);
CREATE INDEX student_guardians_guardian_idx ON student_guardians (guardian_id);
SELECT manage_updated_at('student_guardians');
SELECT track_history('student_guardians');

-- Each student's emergency contact becomes a guardian linked as the emergency contact: name,
-- relation and phone as typed, one guardian for the students of a program with the same three
-- (siblings). A contact with neither a name nor a phone has nothing to move.
CREATE TEMPORARY TABLE moved ON COMMIT DROP AS
SELECT id AS student_id, program_id,
       btrim(coalesce(emergency_contact ->> 'name', '')) AS full_name,
       btrim(coalesce(emergency_contact ->> 'relation', '')) AS relationship,
       btrim(coalesce(emergency_contact ->> 'phone', '')) AS phone
  FROM students;
DELETE FROM moved WHERE full_name = '' AND phone = '';
INSERT INTO guardians (program_id, full_name, relationship, phone)
SELECT DISTINCT program_id, left(full_name, 160), left(relationship, 60), left(phone, 32) FROM moved;
INSERT INTO student_guardians (program_id, student_id, guardian_id, emergency_contact)
SELECT m.program_id, m.student_id, g.id, true
  FROM moved m JOIN guardians g
    ON g.program_id = m.program_id AND g.full_name = left(m.full_name, 160)
   AND g.relationship = left(m.relationship, 60) AND g.phone = left(m.phone, 32);
ALTER TABLE students DROP COLUMN emergency_contact;
