# Two commands that work on a fresh machine with Python 3.11+ and make:
#   make run    set up .venv, then process seeds/ (and data/raw/) into data/warehouse/
#   make test   set up .venv with the test extras, then run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench report report-real clean

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

# The HTML report of the local warehouse; with Chromium present, a screenshot proves the charts render.
CHROME := /usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars
report: $(VENV)/.installed-test
	$(BIN)/bulletins report --warehouse data/warehouse --out report
	@if [ -x /usr/bin/chromium ]; then \
	  $(CHROME) --window-size=1200,6000 --screenshot=report/screenshot.png "file://$(CURDIR)/report/index.html" 2>/dev/null; \
	  $(CHROME) --dump-dom "file://$(CURDIR)/report/index.html" 2>/dev/null | grep -q 'data-charts-rendered="6/6"' \
	    && echo "report/screenshot.png: 6/6 charts rendered" || { echo "charts did not render"; exit 1; }; \
	else echo "no /usr/bin/chromium (apt-get install chromium fonts-noto-cjk): screenshot skipped"; fi

# The report over the 1,423 real bulletins in ../shared (absent on users' machines: skipped).
XWLB := ../shared/corpora/xwlb_daily/news
report-real: $(VENV)/.installed-test
	@if [ ! -d $(XWLB) ]; then echo "skipped: $(XWLB) is absent"; exit 0; fi; \
	[ -d build/xwlb_wh ] || $(BIN)/bulletins backfill --input $(XWLB) --warehouse build/xwlb_wh \
	  --start 2022-01-01 --end 2026-12-31 --runner process; \
	time $(BIN)/bulletins report --warehouse build/xwlb_wh --out report/xwlb; \
	if [ -x /usr/bin/chromium ]; then \
	  $(CHROME) --window-size=1200,6000 --screenshot=report/xwlb/screenshot.png \
	    "file://$(CURDIR)/report/xwlb/index.html" 2>/dev/null && echo "report/xwlb/screenshot.png"; fi

clean:
	rm -rf data/warehouse/* .prefect
