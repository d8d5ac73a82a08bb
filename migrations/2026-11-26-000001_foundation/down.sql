DROP FUNCTION IF EXISTS manage_updated_at(regclass);
DROP FUNCTION IF EXISTS set_updated_at();
DROP EXTENSION IF EXISTS "uuid-ossp";
