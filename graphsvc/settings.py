"""Every setting of graphsvc in one place: names, defaults and help (env prefix GRAPHSVC_)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_store_url() -> str:
    """``sqlite:///$XDG_DATA_HOME/graphsvc/graphsvc.sqlite``; XDG_DATA_HOME is ~/.local/share."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'graphsvc' / 'graphsvc.sqlite'}"


class Settings(BaseSettings):
    """Read once at start-up and passed down; nothing below the CLI or app reads the environment."""

    model_config = SettingsConfigDict(env_prefix="GRAPHSVC_", extra="ignore", frozen=True)

    store: str = Field(
        default_factory=default_store_url,
        description="Where maps live: sqlite:///PATH (embedded, the default) or neo4j.",
    )
    neo4j_uri: str = Field(
        "bolt://127.0.0.1:7687",
        validation_alias=AliasChoices("NEO4J_URI", "GRAPHSVC_NEO4J_URI"),
        description="Neo4j URI (bolt://, neo4j://, neo4j+s:// for clusters and Aura).",
    )
    neo4j_username: str = Field(
        "neo4j",
        validation_alias=AliasChoices("NEO4J_USERNAME", "GRAPHSVC_NEO4J_USERNAME"),
        description="Neo4j user name.",
    )
    neo4j_password: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("NEO4J_PASSWORD", "GRAPHSVC_NEO4J_PASSWORD"),
        description="Neo4j password; unset for a server without authentication.",
    )
    neo4j_database: str = Field(
        "neo4j",
        validation_alias=AliasChoices("NEO4J_DATABASE", "GRAPHSVC_NEO4J_DATABASE"),
        description="Neo4j database name.",
    )
    max_file_bytes: int = Field(
        256 * 1024 * 1024, ge=1, description="Largest map file accepted, in bytes."
    )
    max_yaml_alias_values: int = Field(
        10_000, ge=0, description="Values YAML aliases may expand to (stops alias bombs)."
    )
    analysis_cache_size: int = Field(
        32, ge=1, description="Analysis reports kept in memory (keyed by map and version)."
    )
    response_cache_bytes: int = Field(
        64 * 1024 * 1024,
        ge=0,
        description="Memory for answers to read-only GraphQL queries, reused by the same "
        "caller until anything in the store changes (0: no reuse).",
    )

    # --- API server (graphsvc serve) ----------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address `graphsvc serve` binds to (loopback).")
    port: int = Field(8000, ge=0, le=65535, description="Port `graphsvc serve` listens on.")
    graphiql: bool = Field(True, description="Serve the GraphiQL IDE on GET /graphql.")
    opentelemetry: bool = Field(
        False,
        description="Let FastAPI trace requests and export metrics and logs through the "
        "globally configured OpenTelemetry providers. Off, each request skips the check for "
        "providers (an eighth of the CPU of an answer reused from the cache); /metrics serves "
        "graphsvc's own metrics either way.",
    )
    max_request_bytes: int = Field(
        16 * 1024 * 1024, ge=1, description="Largest HTTP request body accepted, in bytes."
    )
    max_query_depth: int = Field(
        15, ge=1, description="Deepest nesting of fields in a GraphQL operation."
    )
    max_query_tokens: int = Field(
        5_000, ge=1, description="Most lexical tokens (comments included) in a GraphQL document."
    )
    max_query_aliases: int = Field(50, ge=0, description="Most aliases in a GraphQL document.")
    default_page_size: int = Field(50, ge=1, description="Page size when `first` is not given.")
    max_page_size: int = Field(1_000, ge=1, description="Largest `first` of a connection.")
    max_neighborhood_depth: int = Field(3, ge=1, description="Largest `depth` of neighborhood.")
    max_impact_depth: int = Field(10, ge=1, description="Largest `maxDepth` of impactPaths.")
    max_impact_paths: int = Field(500, ge=1, description="Largest `limit` of impactPaths.")
    max_scenario_changes: int = Field(
        1_000, ge=1, description="Most changes in one scenario change set."
    )
    max_map_elements: int = Field(
        1_000_000, ge=1, description="Most nodes plus edges in one map (imports and edits)."
    )

    # --- access, audit and store availability (docs/SECURITY.md) ------------------------------
    auth_required: bool = Field(
        False,
        description="Require an API token even while none exists (then every request is "
        "refused until `graphsvc token create`). Serving beyond loopback always requires one.",
    )
    auth_cache_seconds: float = Field(
        5.0,
        ge=0,
        description="How long a token lookup is reused; a revoked token stops working "
        "within this time.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins (https://host:port) whose pages may call the API from a browser; "
        "none by default.",
    )
    store_retry_seconds: float = Field(
        10.0,
        gt=0,
        description="How long a store transaction is retried on transient errors before "
        "STORE_UNAVAILABLE.",
    )
    store_check_seconds: float = Field(
        2.0,
        gt=0,
        description="How often the server checks that the store answers (readiness); while it "
        "does not, requests fail at once and checks back off up to ten times this.",
    )
