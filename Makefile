# askonce: the two commands a new user runs, and a few for developers.
#   make run    install what is missing, build, and serve the shipped forms on http://127.0.0.1:8080/
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

# The server with the shipped forms on a SQLite file (askonce.db here); PORT=8080 by default.
PORT ?= 8080
DB ?= askonce.db
run: build
	$(BUILD)/server/askonce serve --port $(PORT) --forms forms --db $(DB)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Benchmarks print their figures; they are not tests. Release builds, in build-bench/.
bench: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target bench_compile bench_validate
	build-bench/bench/bench_compile forms
	build-bench/bench/bench_compile forms --keep-heap
	build-bench/bench/bench_validate

# askonce against ajv on every VA schema (bench/validate.cpp --va-forms): each schema imported
# into build-bench/bench-va/, tests/import/generate.mjs's cases for both sides, per schema
# askonce's and ajv's rates per core and the ratio, and the median ratio. Release, build-bench/;
# node and `npm ci` needed. A benchmark, not a test: no figure is a pass or a fail.
.PHONY: bench-validate
bench-validate: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target bench_validate
	build-bench/bench/bench_validate --va-forms --work build-bench/bench-va $(if $(BENCH_SECONDS),--seconds $(BENCH_SECONDS))

# The server under wrk (bench/server/run.sh), on SQLite, on PostgreSQL (a throwaway cluster)
# with one node and with two: the disk's fsync rate, the /healthz ceiling, durable submissions
# per second, p50/p99 at a fixed rate (RATE=1000), group commit, and a summary table with
# PostgreSQL's durable rate over SQLite's. Release, build-bench/. deps.sh --bench also installs
# wrk, which only the server benchmarks need.
.PHONY: bench-server bench-fill bench-journey
bench-server:
	@sh scripts/deps.sh --bench
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target askonce bench_fsync
	BUILD=build-bench sh bench/server/run.sh

# The published results over FIGURES applications (1000000) written through the Store on SQLite
# (bench/figures.cpp): submissions per second with the figures kept, and the time to publish
# them as /performance does (the issue aims at under 100 ms).
.PHONY: bench-figures
bench-figures:
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target bench_figures
	build-bench/bench/bench_figures $(or $(FIGURES),1000000) build-bench/figures 128

# Each backend filled through the API to FILL submissions (1000000; FILL=50000 for a quick
# look): the ingest rate at the start and at the end, their ratio, the database's size
# (bench/server/fill.sh; several minutes and several GB per backend).
bench-fill:
	@sh scripts/deps.sh --bench
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target askonce
	BUILD=build-bench sh bench/server/fill.sh

# Citizens through the largest form's step pages (bench/server/journey.mjs): step pages and
# check-your-answers pages per second, and p50/p99 with CITIZENS=200 at once, beside the same
# run's /healthz ceiling. Release, build-bench/.
bench-journey: deps
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j $(JOBS) --target askonce
	node bench/server/journey.mjs build-bench/server/askonce

fuzz: deps
	TARGET=$(or $(FUZZ_TARGET),parser) sh tests/fuzz/run.sh $(or $(FUZZ_SECONDS),300)

clean:
	rm -rf $(BUILD)
