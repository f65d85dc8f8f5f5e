# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY_SYS ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CORPUS ?= corpus
INDEX ?= .citewise/index
PORT ?= 8501
API_PORT ?= 8000
WORKERS ?= 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run serve test test-all index onnx lint bench browser ocr clean

$(STAMP): requirements.lock constraints.txt pyproject.toml
	test -x $(PY) || $(PY_SYS) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: an unpinned resolve pulls GBs of CUDA wheels
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

# `citewise ingest` also exports the ONNX query encoder (from the bundled weights) if missing.
index: $(STAMP) ocr
	$(VENV)/bin/citewise ingest --corpus $(CORPUS) --index $(INDEX)

# The ONNX export alone, into CITEWISE_ONNX_CACHE_DIR (default .citewise/onnx).
onnx: $(STAMP)
	$(PY) -c "from config.settings import Settings; from index.query_encoder import \
	  ensure_onnx_export; print(ensure_onnx_export(Settings.from_env().onnx_cache_dir))"

run: index
	$(VENV)/bin/streamlit run app.py --server.headless true --server.address 127.0.0.1 \
	  --server.port $(PORT) --browser.gatherUsageStats false

# The HTTP API over the same index (OpenAPI at http://127.0.0.1:$(API_PORT)/docs).
serve: index
	$(VENV)/bin/citewise serve --host 127.0.0.1 --port $(API_PORT) --workers $(WORKERS) \
	  --index $(INDEX) --corpus $(CORPUS)

browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# Debian's tesseract reads PDF pages that have no text layer (scans)
ocr:
	@command -v tesseract >/dev/null || (apt-get update -qq && \
	  apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null)

test: $(STAMP) browser ocr
	$(VENV)/bin/python -m pytest -q

test-all: $(STAMP) browser ocr
	$(VENV)/bin/python -m pytest -q -m "slow or not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check ingest index qa eval citewise api config app.py pages ui tests

bench: $(STAMP)
	$(VENV)/bin/citewise bench

clean:
	rm -rf $(VENV) .citewise
