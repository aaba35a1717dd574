# forcegen: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint format bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "forcegen needs Python >= 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: install
	@mkdir -p outputs
	$(BIN)/forcegen validate inputs/coalition.xlsx
	$(BIN)/forcegen solve inputs/coalition.xlsx -o outputs/coalition.xlsx

lint: install
	$(BIN)/ruff check solver tests bench inputs
	$(BIN)/ruff format --check solver tests bench inputs

format: install
	$(BIN)/ruff format solver tests bench inputs
	$(BIN)/ruff check --fix solver tests bench inputs

test: install lint
	$(BIN)/pytest
	$(BIN)/forcegen check inputs/reference/

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
