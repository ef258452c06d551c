-- Change counters of the data that hoithi processes cache in memory (store/data_versions.hpp).
-- Triggers bump a counter in the same transaction as the change, so that no writer (a request,
-- the CLI, a later feature) can forget to, and every instance sees the change at its next poll.
--   sessions   a session revoked, or a user's role, unit, name, contest or status changed
--   contests   a contest created or changed (schedule, settings, quiz rules, pause)
--   questions  a question or one of its versions added or changed

CREATE TABLE data_versions (
  name TEXT PRIMARY KEY,
  version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO data_versions (name, version) VALUES ('sessions', 0);
INSERT INTO data_versions (name, version) VALUES ('contests', 0);
INSERT INTO data_versions (name, version) VALUES ('questions', 0);

-- @sqlite-only: SQLite triggers are per row, with the statement inline.
CREATE TRIGGER sessions_revoked AFTER UPDATE OF revoked_at ON sessions
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'sessions'; END;
CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'sessions'; END;
CREATE TRIGGER users_changed
AFTER UPDATE OF contest_id, login, role, unit_id, full_name, status, must_change_password ON users
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'sessions'; END;
CREATE TRIGGER units_changed AFTER UPDATE OF code ON units
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'sessions'; END;
CREATE TRIGGER contests_inserted AFTER INSERT ON contests
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'contests'; END;
CREATE TRIGGER contests_updated AFTER UPDATE ON contests
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'contests'; END;
CREATE TRIGGER contests_deleted AFTER DELETE ON contests
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'contests'; END;
CREATE TRIGGER questions_inserted AFTER INSERT ON questions
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'questions'; END;
CREATE TRIGGER questions_updated AFTER UPDATE ON questions
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'questions'; END;
CREATE TRIGGER question_versions_inserted AFTER INSERT ON question_versions
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'questions'; END;
-- @end

-- @postgresql-only: one function, statement-level triggers (one bump per statement, not per row).
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END
$$;
CREATE TRIGGER sessions_revoked AFTER UPDATE OF revoked_at ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('sessions');
CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('sessions');
CREATE TRIGGER users_changed
  AFTER UPDATE OF contest_id, login, role, unit_id, full_name, status, must_change_password ON users
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('sessions');
CREATE TRIGGER units_changed AFTER UPDATE OF code ON units
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('sessions');
CREATE TRIGGER contests_changed AFTER INSERT OR UPDATE OR DELETE ON contests
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('contests');
CREATE TRIGGER questions_changed AFTER INSERT OR UPDATE ON questions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('questions');
CREATE TRIGGER question_versions_inserted AFTER INSERT ON question_versions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('questions');
-- @end
