# mirscope: `make run` and `make test` work on a fresh machine with only Python and apt.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.mirscope-installed
OUT    ?= build
PYTEST_ARGS ?=

.PHONY: setup browser postgresql run test bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,dev]'
	touch $(STAMP)

# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Debian's PostgreSQL server for the knowledge-base tests: the suite starts a throwaway server
# (initdb in a temp folder, Unix socket only) from /usr/lib/postgresql/<version>/bin.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing Debian's postgresql for the knowledge-base tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; \
	fi

run: setup
	@mkdir -p $(OUT)
	$(BIN)/mirscope report --mirna miR-124 -o $(OUT)/mir124-report.html

test: setup browser postgresql
	MPLBACKEND=Agg $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	MPLBACKEND=Agg $(BIN)/python -m benchmarks

lint: setup
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
