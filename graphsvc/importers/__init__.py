"""Importers that build stakeholder maps from public datasets.

- :mod:`graphsvc.importers.aiid` — the AI Incident Database export (incidents.csv, entities.csv);
- :mod:`graphsvc.importers.register` — the Dutch government algorithm register (JSON).

Each returns an :class:`~graphsvc.importers.issues.Imported`: a map validated by the domain,
plus the warnings a user should see. Nothing is stored here; the CLI stores or writes the map.
"""
