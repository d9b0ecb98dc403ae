# The two commands a fresh machine needs (README): `make run` and `make test`.
# Both install into a virtual environment: the active one (VIRTUAL_ENV set), or else .venv here, created
# on first use; the system interpreter is never touched.
ifdef VIRTUAL_ENV
PY ?= $(VIRTUAL_ENV)/bin/python
VENV :=
else
PY ?= .venv/bin/python
VENV := .venv/bin/python
endif
BASE_PY ?= python3
VENV_FLAGS ?= --system-site-packages  # reuse what the machine already has, install only what is missing (into .venv)
PIP = $(PY) -m pip install --disable-pip-version-check -q
FASHION = /usr/share/datasets/fashion-mnist

.PHONY: install data run check-deps test-deps check test bench

.venv/bin/python:
	$(BASE_PY) -m venv $(VENV_FLAGS) .venv

install: $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -r requirements-nodeps.txt

# Fashion-MNIST is a Debian package: installed when we are root; otherwise the app does not offer it.
data:
	@[ -d $(FASHION) ] || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist >/dev/null; } \
	  || echo "Fashion-MNIST not installed (needs root: apt-get install dataset-fashion-mnist); the app offers the other data sets."

run: install data
	$(PY) app.py

check-deps: install
	$(PIP) -r requirements-dev.txt

# Browser tests drive Debian's Chromium through playwright (never `playwright install`): needs root.
test-deps: check-deps
	@command -v chromium >/dev/null 2>&1 && [ -d $(FASHION) ] || (apt-get update -qq && apt-get install -y -qq chromium dataset-fashion-mnist >/dev/null)

# Test files run in WORKERS processes (pytest-xdist), a file's tests in one of them (so its module fixtures are
# built once); WORKERS=1 runs them in this process. The browser tier runs alone: its pages and the server share
# the machine's cores, and a second browser beside them only makes both slower.
WORKERS ?= 2
PARALLEL = $(if $(filter 1,$(WORKERS)),,-n $(WORKERS) --dist loadfile)

# The everyday loop: the core, the harness and the app through its API (no browser, no claims).
check: check-deps
	$(PY) -m pytest $(PARALLEL) tests/unit tests/app

# Every tier, the fast ones first; it stops at the first tier that fails.
test: test-deps
	$(PY) -m pytest $(PARALLEL) tests/unit
	$(PY) -m pytest $(PARALLEL) tests/app
	$(PY) -m pytest tests/browser
	$(PY) -m pytest $(PARALLEL) tests/claims

bench: install
	$(PY) benchmarks/bench_attention.py
