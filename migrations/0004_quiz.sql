-- The knowledge test: rounds, attempts and the questions each attempt showed, grants of extra
-- attempts or time, and each participant's counted result per round (and overall, round_key 0),
-- which the leaderboard reads instead of scanning attempts.

CREATE TABLE rounds (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  number INTEGER NOT NULL,
  name TEXT NOT NULL,
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  attempts_allowed INTEGER,
  UNIQUE (contest_id, number)
);

-- status: active (being answered), submitted (by the participant), expired (finalised by the
-- server at the deadline with the answers saved by then). deadline_at is what the participant
-- sees; cutoff_at = deadline_at + the grace period, after which nothing more is accepted.
CREATE TABLE attempts (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  round_key BIGINT NOT NULL DEFAULT 0,
  user_id BIGINT NOT NULL REFERENCES users (id),
  unit_id BIGINT REFERENCES units (id),
  number INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'submitted', 'expired')),
  seed BIGINT NOT NULL,
  started_at BIGINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  cutoff_at BIGINT NOT NULL,
  finished_at BIGINT,
  correct INTEGER,
  total INTEGER NOT NULL,
  duration_ms BIGINT,
  prediction BIGINT,
  UNIQUE (contest_id, round_key, user_id, number)
);
CREATE UNIQUE INDEX attempts_one_active ON attempts (contest_id, user_id) WHERE status = 'active';
CREATE INDEX attempts_due ON attempts (status, cutoff_at);
CREATE INDEX attempts_user ON attempts (user_id, id);

-- option_order: JSON array, display position -> the option's index in the question version.
-- answer: the chosen option's index in the version (never its display position).
CREATE TABLE attempt_items (
  attempt_id BIGINT NOT NULL REFERENCES attempts (id),
  position INTEGER NOT NULL,
  question_id BIGINT NOT NULL,
  version INTEGER NOT NULL,
  option_order TEXT NOT NULL,
  answer INTEGER,
  answered_at BIGINT,
  correct INTEGER,
  PRIMARY KEY (attempt_id, position),
  FOREIGN KEY (question_id, version) REFERENCES question_versions (question_id, version)
);
CREATE INDEX attempt_items_question ON attempt_items (question_id);

CREATE TABLE quiz_grants (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL CHECK (kind IN ('extra_attempt', 'extra_time')),
  amount INTEGER NOT NULL CHECK (amount > 0),
  reason TEXT NOT NULL,
  granted_by BIGINT REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX quiz_grants_user ON quiz_grants (contest_id, user_id);

CREATE TABLE results (
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  round_key BIGINT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users (id),
  unit_id BIGINT,
  attempt_id BIGINT NOT NULL REFERENCES attempts (id),
  correct INTEGER NOT NULL,
  duration_ms BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  prediction BIGINT,
  PRIMARY KEY (contest_id, round_key, user_id)
);
CREATE INDEX results_rank
  ON results (contest_id, round_key, correct DESC, duration_ms, finished_at, user_id);
