// Every API token, revoked ones included, oldest first.
MATCH (t:GToken)
RETURN t {.*} AS token
ORDER BY t.createdAt, t.id
