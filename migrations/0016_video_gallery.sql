-- The public gallery of the units' videos (issue 16): an organiser approves a ready video for it
-- (a new upload takes the approval away again), and each viewer counts once a day, so that a
-- storm of reloads adds nothing.
ALTER TABLE video_entries ADD COLUMN approved_at BIGINT;
ALTER TABLE video_entries ADD COLUMN approved_by BIGINT REFERENCES users (id);

CREATE TABLE video_views (
  entry_id BIGINT NOT NULL REFERENCES video_entries (id),
  viewer TEXT NOT NULL,  -- a keyed hash of the viewer (their session, or address and browser)
  day TEXT NOT NULL,     -- yyyy-mm-dd, in the contest's time zone
  PRIMARY KEY (entry_id, viewer, day)
);
