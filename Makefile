# Thin wrapper over meson, pytest and go test. The build logic lives in meson.build; this file only names the
# steps. Everything runs as root on Debian 12 (apt-get installs what is missing).

BUILD      ?= build
ASAN_BUILD ?= build-asan
PYTHON     := /usr/bin/python3
MESON_OPTS ?=
ABS_BUILD   = $(abspath $(BUILD))

# Debian packages needed to build and run the library, CLI and bindings.
DEPS := meson ninja-build pkg-config gcc g++ check swig golang-go python3 python3-dev python3-numpy \
	python3-pytest libjansson-dev libyaml-dev libmsgpack-dev libzstd-dev zstd zlib1g-dev libarchive-dev \
	libopenblas-dev libssl-dev libsodium-dev libmicrohttpd-dev libpcre2-dev
# Extra packages only the tests need: static-link test (libarchive's private deps), lint, sanitizers, fuzzing.
TEST_DEPS := liblz4-dev libacl1-dev libxml2-dev nettle-dev liblzma-dev libbz2-dev cppcheck clang \
	libclang-rt-14-dev python3-venv python3-pandas python3-sklearn time prometheus

.PHONY: all deps deps-test build test test-c test-python test-go test-asan fuzz lint bench pipeline install clean help

all: build

help:
	@echo "make deps       install the Debian packages needed to build (idempotent)"
	@echo "make build      configure and build into $(BUILD)/"
	@echo "make test       build, then run the C suites, pytest and go test; non-zero on any failure"
	@echo "make test-asan  the C suites under ASan+UBSan (in $(ASAN_BUILD)/)"
	@echo "make fuzz       libFuzzer over every parser for FUZZ_SECONDS each (clang, ASan+UBSan)"
	@echo "make lint       cppcheck over src/ and tools/"
	@echo "make bench      benchmarks against peers; writes docs/benchmarks.md"
	@echo "make pipeline   deps + build + the main job on the embedded Adult dataset"

deps:
	@sh .ci/apt-install.sh $(DEPS)

deps-test: deps
	@sh .ci/apt-install.sh $(TEST_DEPS)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

test: deps-test build
	@sh tests/run_all.sh $(BUILD)

test-c: build
	meson test -C $(BUILD) --print-errorlogs

test-python: build
	PYTHONPATH=$(ABS_BUILD)/bindings/python $(PYTHON) -m pytest tests/python -q

test-go: build
	cd bindings/go && PKG_CONFIG_PATH=$(ABS_BUILD)/meson-uninstalled LD_LIBRARY_PATH=$(ABS_BUILD)/src \
		GOFLAGS=-mod=mod GOPROXY=off GOCACHE=$(ABS_BUILD)/go-cache GOPATH=$(ABS_BUILD)/go-path go test -count=1 ./...

# Sanitizers: C suites and CLI only (CUDA off: the sanitizers do not instrument device code).
test-asan: deps-test
	@[ -f $(ASAN_BUILD)/build.ninja ] || CC=gcc meson setup $(ASAN_BUILD) -Dcuda=disabled -Dpython=disabled \
		-Dgo=disabled -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		CK_DEFAULT_TIMEOUT=300 meson test -C $(ASAN_BUILD) --print-errorlogs --no-suite install

# libFuzzer over every parser: a clang build with ASan+UBSan, each target for FUZZ_SECONDS from its corpus.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz: deps-test
	@[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang CXX=clang++ meson setup $(FUZZ_BUILD) -Dfuzz=true \
		-Dcuda=disabled -Dpython=disabled -Dgo=disabled -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debugoptimized -Ddefault_library=static
	ninja -C $(FUZZ_BUILD)
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

lint: deps-test
	cppcheck --error-exitcode=1 --enable=warning,performance,portability --inline-suppr --quiet \
		--std=c11 -Iinclude -Isrc -I$(BUILD) --suppress=missingIncludeSystem src tools

bench: build
	@sh bench/run.sh $(BUILD)

pipeline: deps build
	@sh tools/pipeline.sh $(BUILD)

install: build
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-gpu .devlibs
