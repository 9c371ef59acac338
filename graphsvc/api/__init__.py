"""The HTTP API: a FastAPI app with the GraphQL endpoint and a few REST routes (thin)."""
