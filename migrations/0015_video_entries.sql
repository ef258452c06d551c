-- The video part (issue 16): each unit's entries and their tus uploads (video/entries.hpp has the
-- state machine in prose). An entry shows the files of one upload, `file_id` (32 hex characters
-- we generate, the names of its files under <data_dir>/videos/); a new upload replaces it.
CREATE TABLE video_entries (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  unit_id BIGINT NOT NULL REFERENCES units (id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  form TEXT NOT NULL,
  themes TEXT NOT NULL DEFAULT '[]',   -- JSON array of theme codes
  credits TEXT NOT NULL DEFAULT '[]',  -- JSON array of {"name", "role", "invited"}
  status TEXT NOT NULL CHECK (status IN ('draft', 'uploading', 'uploaded', 'processing', 'ready',
                                         'rejected', 'withdrawn')),
  reject_reason TEXT NOT NULL DEFAULT '',
  file_id TEXT,
  duration_ms BIGINT,
  width INTEGER,
  height INTEGER,
  created_by BIGINT REFERENCES users (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX video_entries_by_unit ON video_entries (contest_id, unit_id);

-- One tus upload (a resource at /api/v1/uploads/<id>). Its offset is the size of its original on
-- disk, never stored here: after a crash the disk is what was received.
CREATE TABLE video_uploads (
  id TEXT PRIMARY KEY,
  entry_id BIGINT NOT NULL REFERENCES video_entries (id),
  length BIGINT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '',  -- the Upload-Metadata header as received
  created_by BIGINT REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,         -- an unfinished upload is dropped after this
  finished_at BIGINT,                 -- its last byte arrived
  ended_at BIGINT                     -- terminated, expired or replaced: its files are gone
);
CREATE INDEX video_uploads_by_entry ON video_uploads (entry_id);
