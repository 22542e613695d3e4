# `make run` sets everything up and starts Hafiza; `make test` sets everything up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
# The CPU wheel of torch (see README). Install it before the project so `torch>=2.2` is met.
TORCH_SPEC ?= torch==2.13.0
BIN = $(VENV)/bin

.PHONY: setup run test lint catalogs
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: setup
	$(BIN)/hafiza

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check .

lint: setup
	$(BIN)/ruff check .

# For translators: see docs/translating.md
catalogs: setup
	$(BIN)/python -m hafiza.ui.catalogs update
