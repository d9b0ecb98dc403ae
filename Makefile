# The two commands a fresh machine needs (README): `make run` and `make test`.
PY ?= python3
PIP = $(PY) -m pip install --disable-pip-version-check -q

.PHONY: install run test-deps test bench

install:
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -r requirements-nodeps.txt

run: install
	$(PY) app.py

# Browser tests drive Debian's Chromium through playwright (never `playwright install`).
test-deps: install
	$(PIP) -r requirements-dev.txt
	@command -v chromium >/dev/null 2>&1 && [ -d /usr/share/datasets/fashion-mnist ] || (apt-get update -qq && apt-get install -y -qq chromium dataset-fashion-mnist >/dev/null)

test: test-deps
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/bench_attention.py
