"""The Strawberry GraphQL schema: types, queries, mutations, loaders, limits and errors."""
