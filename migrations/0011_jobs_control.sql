-- Control over running jobs (jobs/queue.hpp): retries with backoff, cancellation of queued or
-- running jobs. No new status: a retry is queued again with a time before which no worker claims
-- it, and a running job asked to stop keeps running until its worker records `cancelled`.
--   attempts            runs of the handler that reached an outcome (done, failed, or a failure
--                       queued for a retry); runs cut short (a dead worker, a shutdown, a cancel)
--                       do not count
--   run_after           a queued job is not claimed before this time (NULL: at once)
--   cancel_requested_at someone asked to cancel the job while it was running
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN run_after BIGINT;
ALTER TABLE jobs ADD COLUMN cancel_requested_at BIGINT;

-- The claim of a kind with an install-wide limit counts the running jobs of that kind.
CREATE INDEX jobs_kind_status ON jobs (kind, status);
