# The two commands of the Quick start, and the rest of the developer loop.
#   make run    install dependencies, build Release, migrate, seed the demo, serve on :8080
#   make test   install dependencies, build the test build, run every test
#   make bench  the contest's peak through the HTTP API beside nginx's ceiling, docs/benchmarks.md
#   make fuzz   build the libFuzzer targets of fuzz/ with clang, run each FUZZ_SECONDS (default 60)
SHELL := /bin/bash
JOBS ?= $(shell nproc)
HOITHI_DATA ?= ./data

.PHONY: all deps build run test test-build bench fuzz fuzz-build format clean

all: build

deps:
	@scripts/install-deps

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

run: build
	./build/hoithi migrate
	./build/hoithi seed-demo --open-now
	./build/hoithi serve

test-build: deps
	cmake --preset test >/dev/null
	cmake --build --preset test -j $(JOBS)

test: test-build
	ctest --preset test

bench: build
	bench/run

# clang only here: the fuzz preset builds just the libraries the targets link (build/fuzz).
fuzz-build:
	@scripts/install-deps --fuzz
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)

fuzz: fuzz-build
	fuzz/run

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
