# askonce: the two commands a new user runs, and a few for developers.
#   make run    install what is missing, build, and start askonce with the shipped forms
#   make test   install what is missing, build, and run every test
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build run test bench fuzz clean

all: build

deps:
	@sh scripts/deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Until the server exists, `run` compiles every shipped form and prints what it contains.
run: build
	$(BUILD)/server/askonce summary forms

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Benchmarks print their figures; they are not tests. Release builds, in build-bench/.
bench: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target bench_compile bench_validate
	build-bench/bench/bench_compile forms
	build-bench/bench/bench_compile forms --keep-heap
	build-bench/bench/bench_validate

fuzz: deps
	sh tests/fuzz/run.sh $(or $(FUZZ_SECONDS),300)

clean:
	rm -rf $(BUILD)
