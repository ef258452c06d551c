-- What the in-memory standings (quiz/standings.hpp) need so that ranks and unit statistics never
-- scan attempts: each counted result also counts the participant's finished attempts in its scope
-- (its round, or the whole contest for round_key 0), and a change counter `results` that moves
-- with every change of the results table, so that every instance notices the others' writes.
-- Likewise `accounts`, for the accounts per unit that the unit statistics cache: it moves when a
-- user is added or removed, or changes contest, role or unit.

ALTER TABLE results ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
UPDATE results SET attempts = (
  SELECT COUNT(*) FROM attempts a
  WHERE a.contest_id = results.contest_id AND a.user_id = results.user_id
    AND a.status <> 'active' AND (results.round_key = 0 OR a.round_key = results.round_key));

INSERT INTO data_versions (name, version) VALUES ('results', 0);
INSERT INTO data_versions (name, version) VALUES ('accounts', 0);

-- @sqlite-only: one writer at a time, so a per-row bump costs one small UPDATE and blocks nobody.
CREATE TRIGGER results_inserted AFTER INSERT ON results
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'results'; END;
CREATE TRIGGER results_updated AFTER UPDATE ON results
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'results'; END;
CREATE TRIGGER results_deleted AFTER DELETE ON results
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'results'; END;
CREATE TRIGGER users_added AFTER INSERT ON users
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'accounts'; END;
CREATE TRIGGER users_moved AFTER UPDATE OF contest_id, role, unit_id ON users
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'accounts'; END;
CREATE TRIGGER users_removed AFTER DELETE ON users
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'accounts'; END;
-- @end

-- @postgresql-only: results change in nearly every submit and users in every registration, from
-- several committers and instances. A counter's row lock is held from the bump to the commit, so
-- the bump runs at COMMIT (a deferred constraint trigger), once per transaction and counter: these
-- locks are the last a transaction takes, held only for the commit itself, and taken in one order
-- (by name: a bump of `results` locks `accounts` first), so two commits never wait for each other.
CREATE FUNCTION bump_data_version_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('hoithi.bumped_' || TG_ARGV[0], true) IS DISTINCT FROM '1' THEN
    PERFORM set_config('hoithi.bumped_' || TG_ARGV[0], '1', true);
    PERFORM 1 FROM data_versions WHERE name IN ('accounts', 'results') AND name < TG_ARGV[0]
      ORDER BY name FOR UPDATE;
    UPDATE data_versions SET version = version + 1 WHERE name = TG_ARGV[0];
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER results_changed AFTER INSERT OR UPDATE OR DELETE ON results
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version_at_commit('results');
CREATE CONSTRAINT TRIGGER users_counted AFTER INSERT OR DELETE ON users
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version_at_commit('accounts');
CREATE CONSTRAINT TRIGGER users_moved AFTER UPDATE OF contest_id, role, unit_id ON users
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version_at_commit('accounts');
-- @end
