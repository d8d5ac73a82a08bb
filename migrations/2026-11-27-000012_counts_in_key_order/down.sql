-- Back to the function of migration `scale`.
CREATE OR REPLACE FUNCTION keep_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counts text := TG_ARGV[0];
  total text := TG_ARGV[1];
  keys text := TG_ARGV[2];
  changes text := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT %s, 1 AS delta FROM new_rows', keys)
    WHEN 'DELETE' THEN format('SELECT %s, -1 AS delta FROM old_rows', keys)
    ELSE format('SELECT %1$s, 1 AS delta FROM new_rows UNION ALL SELECT %1$s, -1 FROM old_rows', keys)
  END;
BEGIN
  EXECUTE format(
    'INSERT INTO %1$I AS c (%3$s, %2$I)
     SELECT %3$s, sum(delta) FROM (%4$s) changes GROUP BY %3$s HAVING sum(delta) <> 0
     ON CONFLICT (%3$s) DO UPDATE SET %2$I = c.%2$I + EXCLUDED.%2$I',
    counts, total, keys, changes);
  RETURN NULL;
END $$;
