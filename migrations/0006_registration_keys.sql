-- The key a client chose for a registration (the Idempotency-Key header, or the hidden field of
-- the registration form): a repeat with the same key and phone answers the account it created.
-- Looked up with the login (users_contest_login), so it needs no index of its own.
ALTER TABLE users ADD COLUMN registration_key TEXT;
