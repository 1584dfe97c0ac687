-- One PostgreSQL role per engineer for a shared quizengine database.
--
-- Run once as the database owner after `quizengine db upgrade`, and again after later upgrades
-- (it is idempotent). Then, per engineer:   CREATE ROLE ana LOGIN PASSWORD '...' IN ROLE quizengine_engineer;
-- and for the lead who exports the team's readiness: CREATE ROLE lead LOGIN PASSWORD '...' IN ROLE quizengine_reader;
-- Each engineer runs quizengine with --db postgresql+psycopg://ana@HOST/DB and --profile ana: the profile
-- name must equal the role name. Every engineer can read the whole team's rows (the team view), but can
-- write only rows of the profile named like their role; readers can only read.

DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quizengine_engineer') THEN
    CREATE ROLE quizengine_engineer NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'quizengine_reader') THEN
    CREATE ROLE quizengine_reader NOLOGIN;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO quizengine_engineer, quizengine_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO quizengine_engineer, quizengine_reader;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO quizengine_engineer;
-- Shared content: any engineer's quizengine may install a changed bank at start-up.
GRANT INSERT, UPDATE ON banks, questions TO quizengine_engineer;
-- Per-profile data: written only through the row policies below.
GRANT INSERT, UPDATE, DELETE ON profiles, profile_settings, profile_certs, cards, reviews, study_sessions,
  question_reports, mocks, mock_items, recall_state TO quizengine_engineer;

CREATE OR REPLACE FUNCTION quizengine_own_profile() RETURNS integer
  LANGUAGE sql STABLE AS $$ SELECT id FROM profiles WHERE name = current_user $$;

DO $$
DECLARE
  t text;
BEGIN
  -- profiles: everyone reads; an engineer creates and changes only the profile named like their role
  ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS quizengine_read ON profiles;
  DROP POLICY IF EXISTS quizengine_write ON profiles;
  CREATE POLICY quizengine_read ON profiles FOR SELECT USING (true);
  CREATE POLICY quizengine_write ON profiles FOR ALL TO quizengine_engineer
    USING (name = current_user) WITH CHECK (name = current_user);

  -- tables with a profile_id column
  FOREACH t IN ARRAY ARRAY['profile_settings', 'profile_certs', 'cards', 'reviews', 'study_sessions',
                           'question_reports', 'mocks', 'recall_state'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS quizengine_read ON %I', t);
    EXECUTE format('DROP POLICY IF EXISTS quizengine_write ON %I', t);
    EXECUTE format('CREATE POLICY quizengine_read ON %I FOR SELECT USING (true)', t);
    EXECUTE format('CREATE POLICY quizengine_write ON %I FOR ALL TO quizengine_engineer '
                   'USING (profile_id = quizengine_own_profile()) '
                   'WITH CHECK (profile_id = quizengine_own_profile())', t);
  END LOOP;

  -- mock_items belong to a profile through their mock
  ALTER TABLE mock_items ENABLE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS quizengine_read ON mock_items;
  DROP POLICY IF EXISTS quizengine_write ON mock_items;
  CREATE POLICY quizengine_read ON mock_items FOR SELECT USING (true);
  CREATE POLICY quizengine_write ON mock_items FOR ALL TO quizengine_engineer
    USING (mock_id IN (SELECT id FROM mocks WHERE profile_id = quizengine_own_profile()))
    WITH CHECK (mock_id IN (SELECT id FROM mocks WHERE profile_id = quizengine_own_profile()));
END $$;
