-- Contests, their prizes and units, users and sessions, the audit log.
-- Portable SQL for SQLite and PostgreSQL: times are BIGINT milliseconds since the Unix epoch (UTC),
-- booleans are INTEGER 0/1, @AUTO_ID@ is the auto-incrementing primary key (store/migrations.hpp).

CREATE TABLE contests (
  id @AUTO_ID@,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  organiser TEXT NOT NULL DEFAULT '',
  contact_office TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  video_closes_at BIGINT,
  results_due_at BIGINT,
  settings TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (opens_at < closes_at)
);

CREATE TABLE prizes (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  category TEXT NOT NULL CHECK (category IN ('collective', 'video', 'individual')),
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  amount_vnd BIGINT NOT NULL CHECK (amount_vnd >= 0),
  UNIQUE (contest_id, category, position)
);

CREATE TABLE units (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  unit_group TEXT NOT NULL,
  headcount INTEGER CHECK (headcount IS NULL OR headcount >= 0),
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  search_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (contest_id, code)
);

-- contest_id NULL: an install-wide administrator; everyone else belongs to one contest.
CREATE TABLE users (
  id @AUTO_ID@,
  contest_id BIGINT REFERENCES contests (id),
  login TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'secretary', 'judge', 'focal_point', 'participant')),
  unit_id BIGINT REFERENCES units (id),
  full_name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  position TEXT NOT NULL DEFAULT '',
  extra TEXT NOT NULL DEFAULT '{}',
  search_key TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  must_change_password INTEGER NOT NULL DEFAULT 0,
  password_changed_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_contest_login ON users (contest_id, login) WHERE contest_id IS NOT NULL;
CREATE UNIQUE INDEX users_global_login ON users (login) WHERE contest_id IS NULL;
CREATE INDEX users_unit ON users (unit_id);

-- Sessions are random 256-bit tokens; only their SHA-256 is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
  id @AUTO_ID@,
  contest_id BIGINT REFERENCES contests (id),
  at BIGINT NOT NULL,
  actor_id BIGINT REFERENCES users (id),
  actor TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  before_json TEXT,
  after_json TEXT
);
CREATE INDEX audit_log_contest_at ON audit_log (contest_id, at);
