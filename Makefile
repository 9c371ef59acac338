# graphsvc — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

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

pytest: $(VENV)/.installed-dev
	bash tools/run-tests.sh $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

## bench: benchmarks of issue 8 on small sizes; SIZE=100k,1M for the large ones (see BENCHMARKS.md)
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py $(if $(SIZE),--sizes $(SIZE),)
