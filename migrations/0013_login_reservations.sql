-- A login reserves its failure before the password is checked (accounts/login_throttle.hpp), so
-- that parallel wrong guesses cannot all pass the throttle before any of them is counted. The
-- reservation carries a random token: a login that turns out right deletes its own rows by it.
-- Rows of earlier versions have none (they were failures already).
ALTER TABLE login_failures ADD COLUMN reservation TEXT;
