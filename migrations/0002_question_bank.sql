-- The question bank of a contest. A question's text, options, key and source live in versions:
-- an edit adds a version, and an attempt records the version it showed, so editing a question
-- never changes how a past attempt was graded.

CREATE TABLE questions (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  topic TEXT NOT NULL,
  current_version INTEGER NOT NULL DEFAULT 1,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  text_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (contest_id, text_key)
);
CREATE INDEX questions_contest_topic ON questions (contest_id, topic);

CREATE TABLE question_versions (
  question_id BIGINT NOT NULL REFERENCES questions (id),
  version INTEGER NOT NULL,
  text TEXT NOT NULL,
  options TEXT NOT NULL,
  correct INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  created_by BIGINT REFERENCES users (id),
  PRIMARY KEY (question_id, version)
);
