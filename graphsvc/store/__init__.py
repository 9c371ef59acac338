"""Stores: where maps live. One protocol, one adapter per backend."""
