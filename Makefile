# The README's first two commands: `make demo` and `make test`. Each sets itself up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect runs offline in ephemeral mode, with its state kept inside the project.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 90
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: install demo test lint format bench bench-long eval-extraction eval-entities train-entities clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip uv
	# uv installs the stack in ~20 s; plain pip is the fallback when uv cannot run.
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]' || $(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsetl demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest -q

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/run_bench.py

# Memory over a long run: RSS growth from article 5,000 to 50,000 (takes about an hour on 2 cores).
bench-long: $(STAMP)
	$(BIN)/python bench/run_bench.py --long-only --long-n 50000

eval-extraction: $(STAMP)
	$(BIN)/python bench/eval_extraction.py

eval-entities: $(STAMP)
	$(BIN)/python bench/eval_entities.py

# Retrain the entity CRF on the KLUE training split; the network beside it: training/README.md.
train-entities: $(STAMP)
	$(BIN)/python training/train_entities.py

clean:
	rm -rf $(VENV) .prefect .pytest_cache .ruff_cache *.egg-info
