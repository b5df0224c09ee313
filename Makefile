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

.PHONY: install demo test lint format bench bench-cli bench-long eval-extraction eval-entities eval-events train-entities clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip uv
	# uv installs the stack in ~20 s; plain pip is the fallback when uv cannot run. The suite covers the
	# scale-out extra too, so the development install has it; `pip install newsetl` alone is the single machine.
	# --compile-bytecode: uv writes no .pyc by default (pip does), and where PYTHONDONTWRITEBYTECODE is set none is
	# ever written, so each of the suite's dozens of child processes compiled Prefect and Scrapy from source again.
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -e '.[dev,scale]' || $(BIN)/pip install -q -e '.[dev,scale]'
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

bench: bench-cli
	$(BIN)/python bench/run_bench.py

# Everyday commands' answer times: --help and `sql "select 1"` (< 0.5 s), a refused second run (< 2 s).
bench-cli: $(STAMP)
	$(BIN)/python bench/cli_timing.py

# Memory over a long run: RSS growth from article 5,000 to 50,000 (takes about an hour on 2 cores).
bench-long: $(STAMP)
	$(BIN)/python bench/run_bench.py --long-only --long-n 50000

eval-extraction: $(STAMP)
	$(BIN)/python bench/eval_extraction.py

eval-entities: $(STAMP)
	$(BIN)/python bench/eval_entities.py

# Deals and people moves on the labelled and the blind set (or FILES=...), each scored on its own.
eval-events: $(STAMP)
	$(BIN)/python bench/eval_events.py $(FILES)

# Retrain the entity CRF on the KLUE training split; the network beside it: training/README.md.
train-entities: $(STAMP)
	$(BIN)/python training/train_entities.py

clean:
	rm -rf $(VENV) .prefect .pytest_cache .ruff_cache *.egg-info
