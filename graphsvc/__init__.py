"""graphsvc: a stakeholder and power-mapping knowledge graph for sociotechnical AI safety."""

__version__ = "0.1.0"
