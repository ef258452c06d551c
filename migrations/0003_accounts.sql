-- Accounts: install-wide secrets (CSRF and sealing keys shared by every instance), unique extra
-- registration fields (e.g. one account per ID card number), and the durable job queue used by
-- roster imports and, later, video processing.

CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- One row per (contest, field, value) that the contest declares unique, e.g. ('cccd', '0792...').
CREATE TABLE user_unique_values (
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users (id),
  PRIMARY KEY (contest_id, field, value)
);

-- Background work. status: draft (waiting for the person to confirm), queued, running, done,
-- failed, cancelled. A running job whose heartbeat is old is taken over by another worker.
CREATE TABLE jobs (
  id @AUTO_ID@,
  contest_id BIGINT REFERENCES contests (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'queued', 'running', 'done', 'failed', 'cancelled')),
  payload TEXT NOT NULL,
  result TEXT,
  error TEXT,
  progress_done INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  created_by BIGINT REFERENCES users (id),
  unit_id BIGINT REFERENCES units (id),
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  claimed_by TEXT,
  heartbeat_at BIGINT,
  runs INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_status ON jobs (status, id);
CREATE INDEX jobs_creator ON jobs (created_by, id);

CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX users_contest_role ON users (contest_id, role);
