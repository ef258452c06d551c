-- Judging (issue 17): the jury's score sheets, the organisers' explicit assignments and the lock.
-- The rubric itself is a rule of the contest, in contests.settings ("judging" section); a sheet
-- names its criteria by key and holds their points in hundredths (7,5 points: 750).
CREATE TABLE judging_sheets (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  entry_id BIGINT NOT NULL REFERENCES video_entries (id),
  judge_id BIGINT NOT NULL REFERENCES users (id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'abstained')),
  points TEXT NOT NULL DEFAULT '{}',  -- JSON object: criterion key -> hundredths of a point
  comment TEXT NOT NULL DEFAULT '',
  abstain_reason TEXT NOT NULL DEFAULT '',  -- a declared conflict of interest, in the judge's words
  updated_at BIGINT NOT NULL,
  submitted_at BIGINT,
  UNIQUE (entry_id, judge_id)
);
CREATE INDEX judging_sheets_by_contest ON judging_sheets (contest_id);

-- Who scores which video when the organisers assign explicitly (rules: assignment = explicit).
CREATE TABLE judging_assignments (
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  judge_id BIGINT NOT NULL REFERENCES users (id),
  entry_id BIGINT NOT NULL REFERENCES video_entries (id),
  PRIMARY KEY (judge_id, entry_id)
);
CREATE INDEX judging_assignments_by_contest ON judging_assignments (contest_id);

-- A contest whose judging is locked: no score changes until an administrator unlocks it.
CREATE TABLE judging_locks (
  contest_id BIGINT PRIMARY KEY REFERENCES contests (id),
  locked_at BIGINT NOT NULL,
  locked_by BIGINT REFERENCES users (id)
);
