// Revoke a token once: a later revoke keeps the first time.
MATCH (t:GToken {id: $id})
SET t.revokedAt = coalesce(t.revokedAt, $now)
RETURN t {.*} AS token
