"""Renderings of a map and its analysis report for people (HTML)."""
