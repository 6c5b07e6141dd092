# Two commands do all the set-up on a fresh machine (only Python and pip needed):
#   make demo   run the demo: a synthetic workforce through a mentoring program
#   make test   every check: lint, format, types, architecture, tests (SQLite + PostgreSQL)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n auto

.PHONY: demo test check pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall when pyproject.toml changes.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-app

demo: $(VENV)/.installed-app
	$(BIN)/tandem demo

test: check pytest

check: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Speed, memory and quality figures (printed, not asserted). BENCH_ARGS=--quick for a short run.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.matching $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.serve_load $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.simulation $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.report $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .hypothesis
