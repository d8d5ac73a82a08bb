-- The price lookup and a cell's history read one cell of one facility by date; the matrix reads one
-- facility. The partial unique index only covers active rows, so this one serves the dated reads.
CREATE INDEX facility_course_pricing_cell_idx
    ON facility_course_pricing (facility_id, course_id, age_group, location_type, session_type, effective_date);
