-- The contest console (issue 15): contests can be archived; organisers' notices; the staff lists
-- of units (rosters) kept as entries, so that a registration can be checked against them; a
-- registration that does not match waits for its unit's focal point; the one-time setup token of
-- a server without an administrator.
ALTER TABLE contests ADD COLUMN archived_at BIGINT;

CREATE TABLE notices (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  pinned INTEGER NOT NULL DEFAULT 0,
  publish_at BIGINT NOT NULL,
  withdrawn_at BIGINT,
  kind TEXT NOT NULL DEFAULT 'manual' CHECK (kind IN ('manual', 'deadline')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX notices_by_contest ON notices (contest_id, publish_at);

-- A unit's staff as its focal point listed them (a roster import), whether or not accounts were
-- made for them: what a registration is checked against, and the headcount.
CREATE TABLE roster_entries (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  unit_id BIGINT NOT NULL REFERENCES units (id),
  full_name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  birth_date TEXT NOT NULL DEFAULT '',
  position TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX roster_entries_by_unit ON roster_entries (unit_id);
CREATE INDEX roster_entries_by_phone ON roster_entries (contest_id, phone);

-- 'active': counts for its unit; 'pending': registered outside the roster, waiting for the focal
-- point; 'rejected': refused by the focal point (cannot sign in).
ALTER TABLE users ADD COLUMN registration_status TEXT NOT NULL DEFAULT 'active';

-- A focal point's decision changes what counts for the unit (the `accounts` counter) and what a
-- signed-in participant may do (the session cache, `sessions`), so both move with it.
-- @sqlite-only
CREATE TRIGGER users_verified AFTER UPDATE OF registration_status ON users
BEGIN UPDATE data_versions SET version = version + 1 WHERE name IN ('accounts', 'sessions'); END;
-- @end
-- @postgresql-only: the same deferred bump of `accounts` as 0009's users_moved.
CREATE CONSTRAINT TRIGGER users_verified AFTER UPDATE OF registration_status ON users
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version_at_commit('accounts');
CREATE TRIGGER users_verified_sessions AFTER UPDATE OF registration_status ON users
  FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('sessions');
-- @end
