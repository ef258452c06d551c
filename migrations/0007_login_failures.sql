-- Failed logins by throttle key ("account:<contest>:<login>", "ip:<address>"), so that every
-- instance counts the same failures (accounts/login_throttle.hpp). Rows older than the window
-- and the longest block are deleted as the key fails again.
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);
