"""The domain: what a stakeholder map is, its rules, and its file format."""
