-- The counted quiz results (one row per participant and round, owned by quiz/) are renamed from
-- `results` to `quiz_results`, so that the table's name no longer suggests the results/ module
-- (unit ranking, prizes, publication), which does not own it. Triggers, indexes and the change
-- counter (data_versions 'results') keep their names; SQLite and PostgreSQL both carry the
-- triggers over to the renamed table.
ALTER TABLE results RENAME TO quiz_results;
