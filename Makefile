# Two commands for a newcomer on a fresh machine (see README): `make serve` and `make test`.
# Each sets up what is missing first: Debian packages (when run as root), the Python venv, npm packages.

VENV    := .venv
PY      := $(VENV)/bin/python
DEBS    := graphviz chromium fonts-dejavu-core poppler-utils
PORT    ?= 8000

.PHONY: setup system serve build test test-fast check lint clean mutation

setup: system $(VENV)/.installed node_modules/.installed

# Debian packages: graphviz for the flowcharts, chromium for the browser tests, poppler-utils to read PDFs.
system:
	@missing=""; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdfinfo >/dev/null || missing="$$missing poppler-utils"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    echo "Missing Debian packages:$$missing. Run: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

build: setup
	$(VENV)/bin/guidance build

serve: setup
	$(VENV)/bin/guidance serve --port $(PORT)

check: setup
	$(VENV)/bin/guidance check protocols/

lint: setup
	$(VENV)/bin/ruff check generator tests benchmarks
	npx --no-install eslint site_overrides/assets tests

test: setup
	$(VENV)/bin/ruff check generator tests benchmarks
	npx --no-install eslint site_overrides/assets tests
	$(VENV)/bin/guidance check protocols/
	$(VENV)/bin/pytest -q

# Everything but the browser (Playwright) and Node (Pyodide parity) tests: for a developer's minute.
test-fast: $(VENV)/.installed
	$(VENV)/bin/ruff check generator tests benchmarks
	$(VENV)/bin/guidance check protocols/
	$(VENV)/bin/pytest -q -p no:cacheprovider -m "not browser and not slow" -n auto  # pytest-xdist: one worker per core

# Mutation testing of the standard-library core (slow: about an hour on 2 cores; not in `make test` or CI).
# A fresh run each time (mutants/ is rebuilt), then the score per core module and every mutant not killed;
# fails when a module is below 90%. Equivalent mutants are marked `# pragma: no mutate` with a reason.
MUTATION_JOBS ?= 2

mutation: $(VENV)/.mutation-installed
	rm -rf mutants
	@start=$$(date +%s); \
	$(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) > mutation-run.log 2>&1 \
	  || { tr '\r' '\n' < mutation-run.log | tail -n 40; exit 1; }; \
	tr '\r' '\n' < mutation-run.log | tail -n 2; \
	echo "mutmut run took $$(( $$(date +%s) - start )) s"
	$(PY) tools/mutation_report.py --fail-under 90

$(VENV)/.mutation-installed: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test,mutation]'
	touch $@

clean:
	rm -rf site .guidance-build .pytest_cache mutants
