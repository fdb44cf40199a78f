# Two commands that work on a fresh machine with Python 3.11+ and make:
#   make run    set up .venv, then process seeds/ (and data/raw/) into data/warehouse/
#   make test   set up .venv with the test extras, then run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench report clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,dask,s3,report]"
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/bulletins run

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.throughput

clean:
	rm -rf data/warehouse/* .prefect
