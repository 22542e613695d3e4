# `make run` sets everything up and starts Hafiza; `make test` sets everything up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
# The CPU wheel of torch (see README). Install it before the project so `torch>=2.2` is met.
TORCH_SPEC ?= torch==2.13.0
BIN = $(VENV)/bin

.PHONY: setup run test lint catalogs exercise-reference atlas bundle smoke installer-check
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

# docs/exercises.md, written from the engine's tables (tests/test_exercise_reference.py fails
# while it is stale): run after adding a data set, layer, loss, setting or playground
exercise-reference: setup
	$(BIN)/python tools/exercise_reference.py

# Every screen as a PNG, per variety, theme and size: build/atlas/index.html (docs/screens.md)
ATLAS_DIR ?= build/atlas
atlas: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screens.py $(ATLAS_DIR) --lang ary arz ar fa en --theme light dark --size 1366x768 1024x700

# The learner's download (see README, "Build the bundle and the installers"): a one-folder
# PyInstaller bundle in dist/hafiza and its archive; then its offline smoke test.
bundle:
	$(PYTHON) packaging/build.py

smoke:
	bash packaging/smoke.sh dist/hafiza

# Compiles the Windows installer script against the Linux bundle, to prove it sound
# (Debian: apt-get install nsis); the real one is built on Windows by the release workflow.
installer-check:
	makensis -V2 "-XSetCompressor /FINAL zlib" -DGUI_EXE=hafiza -DOUTFILE=$(CURDIR)/build/installer-check-setup.exe packaging/windows/hafiza.nsi
