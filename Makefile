# graphsvc — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck pytest native clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# `pip install -e .` compiles the analysis with mypyc (setup.py), one to two minutes.
$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@ $(VENV)/.native

# The dev install leaves compiling to `native`, so that it happens once.
$(VENV)/.installed-dev: pyproject.toml setup.py | $(BIN)/python
	GRAPHSVC_NATIVE=0 $(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

## native: compile the analysis again after editing it (until then it runs from its sources)
native: $(VENV)/.native

$(VENV)/.native: $(wildcard graphsvc/analysis/*.py) setup.py pyproject.toml | $(VENV)/.installed-dev
	$(BIN)/pip install -q --no-deps -e .
	touch $@

## demo: install, load seeds/ into the embedded store, serve the explorer and the API
demo: $(VENV)/.installed
	$(BIN)/graphsvc import --replace seeds/*.yaml
	$(BIN)/graphsvc serve

## test: lint, type check and the whole test suite (starts a local Neo4j when it can)
test: lint typecheck pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check graphsvc tests
	$(BIN)/ruff format --check graphsvc tests

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev $(VENV)/.native
	bash tools/run-tests.sh $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build
	rm -f graphsvc/analysis/*.so graphsvc/analysis/_native.json

## bench: benchmarks of issue 8 on small sizes; SIZE=100k,1M for the large ones (see BENCHMARKS.md)
bench: $(VENV)/.installed-dev $(VENV)/.native
	$(BIN)/python bench/run.py $(if $(SIZE),--sizes $(SIZE),)
