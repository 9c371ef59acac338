"""Analyses: pure functions over the in-memory graph of one map (SPEC §3). No I/O here."""
