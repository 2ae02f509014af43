# archgen: the two commands of the README's Set-up section.
#
#   make demo   create .venv, install archgen, design examples/orders-api.yaml into build/orders-api/
#   make test   install graphviz if `dot` is missing, install archgen with its dev extras, run ruff, mypy, pytest
#
# Both work on a fresh Debian machine with python3 (3.11 or newer) and a pip that can reach a package index.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet --quiet
DEMO_SPEC := examples/orders-api.yaml
DEMO_OUT  := build/orders-api

# Installs are remembered by stamp files inside the venv, redone when pyproject.toml changes. The installs are
# editable, so changes to the code need no reinstall.
INSTALLED     := $(VENV)/.installed
INSTALLED_DEV := $(VENV)/.installed-dev

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help demo test graphviz clean

help:
	@echo "make demo   install archgen into $(VENV) and design $(DEMO_SPEC)"
	@echo "make test   install archgen with its dev extras and run ruff, mypy and pytest"
	@echo "make clean  remove build/ and the caches (keeps $(VENV))"

demo: $(INSTALLED)
	@echo "==> archgen design $(DEMO_SPEC) --out $(DEMO_OUT) --force"
	@$(BIN)/archgen design $(DEMO_SPEC) --out $(DEMO_OUT) --force
	@echo
	@echo "Design document: $(DEMO_OUT)/DESIGN.md"
	@echo "Machine-readable: $(DEMO_OUT)/design.json"

test: graphviz $(INSTALLED_DEV)
	@echo "==> ruff check archgen tests tools"
	@$(BIN)/ruff check archgen tests tools
	@echo "==> mypy"
	@$(BIN)/mypy
	@echo "==> validators (terraform stand-ins, checkov in its own venv)"
	@$(BIN)/python tools/validators/setup.py
	@echo "==> pytest -q"
	@$(BIN)/pytest -q

# The diagrams renderer calls Graphviz's `dot`.
graphviz:
	@if ! command -v dot >/dev/null 2>&1; then \
		echo "==> installing graphviz (apt-get)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends graphviz >/dev/null; \
	fi
	@command -v dot >/dev/null 2>&1 || { echo "error: graphviz's dot is still missing" >&2; exit 1; }

# A Python without ensurepip (Debian without python3-venv) gets a venv without pip, which the system pip
# then bootstraps (pip >= 22.3 can install into another interpreter with --python).
$(BIN)/python:
	@echo "==> creating $(VENV) with $(PYTHON) -m venv"
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		rm -rf $(VENV) && $(PYTHON) -m venv --without-pip $(VENV) && \
		$(PYTHON) -m pip --python $(BIN)/python install --quiet pip; \
	} || { echo "error: could not create $(VENV); on Debian: apt-get install python3-venv" >&2; exit 1; }

$(INSTALLED): $(BIN)/python pyproject.toml
	@echo "==> pip install -e . (into $(VENV))"
	@$(PIP) install -e .
	@touch $@

$(INSTALLED_DEV): $(BIN)/python pyproject.toml
	@echo "==> pip install -e '.[dev]' (into $(VENV))"
	@$(PIP) install -e '.[dev]'
	@touch $@ $(INSTALLED)

clean:
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache
