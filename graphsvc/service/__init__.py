"""Use cases: load maps, store them, analyse them, cached by map version."""
