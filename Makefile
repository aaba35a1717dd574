# forcegen: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test test-fast lint format bench clean chromium report-demo

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
	$(BIN)/forcegen report outputs/coalition.xlsx -o outputs/coalition.html
	$(BIN)/forcegen validate inputs/coalition_timed.xlsx
	$(BIN)/forcegen solve inputs/coalition_timed.xlsx -o outputs/coalition_timed.xlsx
	$(BIN)/forcegen report outputs/coalition_timed.xlsx -o outputs/coalition_timed.html

# Debian's chromium, for the screenshot and the browser test (installed only when missing)
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)

CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync

report-demo: demo chromium
	profile=$$(mktemp -d) && chromium $(CHROMIUM_FLAGS) --user-data-dir=$$profile \
		--screenshot=$(CURDIR)/outputs/coalition.png --window-size=1280,2400 \
		file://$(CURDIR)/outputs/coalition.html; status=$$?; rm -rf $$profile; exit $$status
	@test -s outputs/coalition.png && echo "written: outputs/coalition.png"

lint: install
	$(BIN)/ruff check solver tests bench inputs
	$(BIN)/ruff format --check solver tests bench inputs
	$(BIN)/mypy
	$(BIN)/python -m solver.docs --check

format: install
	$(BIN)/ruff format solver tests bench inputs
	$(BIN)/ruff check --fix solver tests bench inputs

test: install lint
	$(BIN)/pytest
	$(BIN)/forcegen check inputs/reference/

# the quick loop while editing: everything but the tests marked slow (make test runs them all)
test-fast: install
	$(BIN)/pytest -m "not slow"

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
