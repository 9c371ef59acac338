"""Analyses: pure functions over the in-memory graph of one map (SPEC §3). No I/O here.

The hot modules may run compiled (mypyc, built by ``setup.py``); :mod:`.native` decides, before
any of them is imported. ``COMPILED`` says which way this process runs.
"""

from graphsvc.analysis.native import choose

COMPILED = choose(__path__[0])
