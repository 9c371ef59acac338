// Answers when the configured database is reachable.
RETURN 1 AS ok
