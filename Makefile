# The README's commands: `make demo` (main job on the bundled samples), `make test` (the default
# suite, under 4 minutes on 2 cores) and `make test-all` (everything, as CI runs it).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-all install system-deps lint bench clean

$(BIN)/ogi: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(BIN)/ogi

install: $(BIN)/ogi

demo: install
	$(BIN)/ogi run samples/reports
	$(BIN)/ogi sql "select original_name, agency_name, report_year, template, status from v_documents order by original_name"

# LibreOffice and a CJK font render the DOCX/PDF test documents; headless Chromium drives the
# browser tests (Debian packages; needs root).
system-deps:
	@{ command -v soffice && command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk chromium poppler-utils >/dev/null; \
	  else echo "install LibreOffice Writer, fonts-noto-cjk, chromium and poppler-utils (apt) to run the rendering, browser and layout-text tests" >&2; exit 1; fi; }

# The slow kinds (markers in pyproject.toml) left out of `make test`; `make test-all` runs them too.
SLOW := not prefect_server and not browser

test: install system-deps
	$(BIN)/pytest -m "$(SLOW)"

test-all: install system-deps
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python benchmarks/pdf_docx_speed.py

clean:
	rm -rf data .pytest_cache .hypothesis
