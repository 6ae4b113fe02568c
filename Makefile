# The course's two everyday commands:
#   make lab    set everything up (a virtual environment in .venv if there is none) and open JupyterLab
#   make test   set everything up and run the full test suite
# and, for authors: make lessons (regenerate lessons/ from solutions/), make bench (benchmarks).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?= -n 2 --dist worksteal

.PHONY: setup lab test lessons bench clean

setup: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# jupyterlab/overrides.json: the course's JupyterLab defaults (no "get notified about Jupyter news?"
# pop-up over the first lesson), installed where JupyterLab reads application settings.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

$(STAMP): pyproject.toml jupyterlab/overrides.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[course,dev]"
	mkdir -p $(LAB_SETTINGS) && cp jupyterlab/overrides.json $(LAB_SETTINGS)/overrides.json
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab lessons/00_start_here/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lessons: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/dlcourse release

bench: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py --readme

clean:
	rm -rf gradebook.db submitted autograded feedback reports .pytest_cache
