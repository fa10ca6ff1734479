# tensorbook: the two commands are `make demo` and `make test`; both install what is missing first.
APT_PACKAGES := libedit-dev libopenblas-dev zlib1g-dev libpng-dev pkg-config tmux
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export SWIFT_BACKTRACE ?= interactive=no

.PHONY: deps build test demo bench clean

## deps: apt-get install the system libraries that are missing (nothing when all are present)
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## build: release build of everything
build: deps
	$(SWIFT) build -c release

## test: every test, in a release build (the training tests need it)
test: deps
	$(SWIFT) test -c release

## demo: a real training run through the engine
demo: deps
	$(SWIFT) run -c release engine-demo

## bench: the performance suite (a separate package, so CI never builds the benchmark harness)
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build Benchmarks/.build
