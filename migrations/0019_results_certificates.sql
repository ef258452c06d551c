-- Results (issue 18): the background job that renders a publication's certificates into one PDF
-- (results/certificates_job.hpp), enqueued when it is published; none when it has no prize.
ALTER TABLE results_publications ADD COLUMN certificates_job BIGINT REFERENCES jobs (id);
