# Every target sets up (and then reuses) a local virtual environment by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench model clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert (3, 11) <= sys.version_info[:2] < (3, 14), "trainer needs Python 3.11 to 3.13"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/trainer

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check trainer tests
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m trainer.bench

model: $(STAMP)
	$(BIN)/python -m trainer.scoring.build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
