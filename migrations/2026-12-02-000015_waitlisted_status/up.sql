-- A waitlisted enrollment waits for a place in a full class (docs/decisions.md, "The timetable").
-- Its own migration: a new enum value can be used only once the transaction that adds it commits.
ALTER TYPE enrollment_status ADD VALUE 'waitlisted';
