// Whether any token is not revoked (no token: the server is open on loopback only).
RETURN EXISTS { MATCH (t:GToken) WHERE t.revokedAt IS NULL } AS active
