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
