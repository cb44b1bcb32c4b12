# Anchor: `make run` serves the app on the demo footprint; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test bench screenshots setup chromium poppler lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Anchor needs Python 3.11 (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build what the app needs and is missing: geography, then the demo footprint.
setup: $(STAMP)
	$(BIN)/anchor setup

run: setup
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

## Debian's Chromium drives the browser tests (and Plotly's image export); Liberation Sans is
## the Arial-metric font the charts are laid out for.
chromium:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q LiberationSans || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation; \
	  else \
	    echo "The browser tests need Chromium: sudo apt-get install chromium fonts-liberation"; exit 1; \
	  fi; }

## Poppler's pdftoppm and pdftotext let the tests read the board paper as a person would.
poppler:
	@command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends poppler-utils; \
	  else \
	    echo "The report tests need poppler-utils: sudo apt-get install poppler-utils"; exit 1; \
	  fi; }

## Two processes, each taking whole test files (a file's tests share its fixtures).
test: $(STAMP) chromium poppler
	$(BIN)/pytest -n 2 --dist loadfile

bench: setup
	@for f in bench/bench*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## The README's tour pictures, from the demo, in headless Chromium.
screenshots: setup chromium
	$(BIN)/python tools/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check anchor pages tests bench tools app.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
