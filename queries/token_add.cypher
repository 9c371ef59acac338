// Store a new API token: its id, role, maps (null: every map) and the SHA-256 of its secret.
CREATE (:GToken {id: $id, name: $name, role: $role, maps: $maps, digest: $digest,
                 createdAt: $createdAt, revokedAt: $revokedAt})
