-- Results (issue 18): the committee's decisions on ties at a prize boundary, and the frozen
-- results (reviewed, published, superseded).
-- A tie decision names the tied group it decides (its ids, ascending) and the order the
-- committee chose, with its reason; it applies while the same candidates are tied, and is kept
-- if the tie changes.
CREATE TABLE results_tie_decisions (
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  category TEXT NOT NULL CHECK (category IN ('collective', 'video', 'individual')),
  members TEXT NOT NULL,   -- the tied ids, ascending, comma-separated
  ordering TEXT NOT NULL,  -- the same ids in the committee's order, comma-separated
  reason TEXT NOT NULL,
  decided_at BIGINT NOT NULL,
  decided_by BIGINT REFERENCES users (id),
  PRIMARY KEY (contest_id, category, members)
);

-- Frozen results: what was reviewed, published, or published and then replaced. The snapshot is
-- the results as JSON (what the public pages show, never recomputed); export_csv is the canonical
-- export byte for byte, and digest its SHA-256, announced with the results.
CREATE TABLE results_publications (
  id @AUTO_ID@,
  contest_id BIGINT NOT NULL REFERENCES contests (id),
  version INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('reviewed', 'published', 'superseded')),
  snapshot TEXT NOT NULL,
  export_csv TEXT NOT NULL,
  digest TEXT NOT NULL,
  reviewed_at BIGINT NOT NULL,
  reviewed_by BIGINT REFERENCES users (id),
  published_at BIGINT,
  published_by BIGINT REFERENCES users (id),
  superseded_at BIGINT,
  reason TEXT NOT NULL DEFAULT '',  -- why it replaced the publication before it
  UNIQUE (contest_id, version)
);
