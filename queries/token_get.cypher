// One API token by id.
MATCH (t:GToken {id: $id})
RETURN t {.*} AS token
