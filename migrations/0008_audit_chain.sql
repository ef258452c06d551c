-- The audit log as a hash chain (audit/audit_log.hpp): each entry gets its place in the chain
-- (chain_seq, 1, 2, 3, ... without gaps), the hash of the entry before it (prev_hash) and its own
-- hash (entry_hash, SHA-256 in hex over the entry's fields and prev_hash). They are filled in just
-- before the transaction that wrote the entry commits, under a lock, so the chain is linear however
-- many committers and instances write. Entries written before this migration are chained, in id
-- order, by the hoithi command that applies it (or else by the next write of an audit entry).
ALTER TABLE audit_log ADD COLUMN chain_seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN entry_hash TEXT;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain_seq);
CREATE INDEX audit_log_unchained ON audit_log (id) WHERE chain_seq IS NULL;
