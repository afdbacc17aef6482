# The commands a newcomer needs: `make run` and `make test`.
GO ?= go
GOTESTFLAGS ?= -count=1 -timeout 20m

.PHONY: run test assets build vet bench weight lint-api soak fuzz load cluster-up cluster-test cluster-down

## run: start the server in embedded mode (SQLite + in-process Redis, demo data)
run: assets
	$(GO) run ./backend/cmd/idcard serve

## test: the whole suite (set IDCARD_TEST_MYSQL_DSN / IDCARD_TEST_REDIS_URL for real servers)
test: assets lint-api
	./scripts/chromium.sh
	$(GO) vet ./...
	$(GO) test $(GOTESTFLAGS) ./...

## lint-api: lint the OpenAPI contract with the pinned Redocly CLI (redocly.yaml);
## works offline once `assets` has installed it
lint-api: assets
	REDOCLY_SUPPRESS_UPDATE_NOTICE=true node_modules/.bin/redocly lint --format=stylish backend/internal/web/openapi.yaml

## assets: install the pinned npm packages, copy what the pages use to static/vendor,
## build the mini-program's miniprogram_npm and generate its shared/ rules
assets:
	./scripts/assets.sh

## build: a self-contained binary in bin/idcard
build: assets
	$(GO) build -trimpath -o bin/idcard ./backend/cmd/idcard

## bench: the benchmarks, each printing its ratio against a baseline
bench: assets
	$(GO) test -run '^$$' -bench . -benchtime 2s ./...

## weight: the H5's weight benchmark in headless chromium: bytes over the wire
## for a first load and a repeat visit of /m/ at 400 kbps / 400 ms RTT (asserted:
## ≤ 120 KB, ≤ 15 KB) and the time until the sign-in form is usable, printed
## beside an unthrottled load of the same run
weight: assets
	./scripts/chromium.sh
	$(GO) test -run '^TestH5Weight$$' -count=1 -v ./backend/internal/web/ | grep -v '^=== '

## soak: the load and crash soak: concurrent submit/replay/cancel while the
## server is killed with kill -9 20 times, then lost/duplicated/half-written
## cases and audit-verify; embedded storage, and MariaDB + Redis too when
## IDCARD_TEST_MYSQL_DSN / IDCARD_TEST_REDIS_URL are set (SOAKFLAGS: e.g. -kills 5)
soak:
	$(GO) run ./backend/cmd/soak -go $(GO) $(SOAKFLAGS)

## fuzz: every fuzz target in turn for FUZZTIME each (a duration, or 1000000x
## for a count of executions); a failing input is kept under testdata/fuzz
FUZZTIME ?= 60s
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

## cluster-up: the scale-out topology on this machine on real engines (scripts/cluster.sh):
## HAProxy :18000 → three idcard serve, MariaDB primary :13306 + replica :13307 (GTID),
## Redis :16379 + replica :16380 + Sentinels :26379-26381; installs haproxy and
## redis-sentinel from Debian when missing (as root)
cluster-up:
	GO=$(GO) ./scripts/cluster.sh up

## cluster-test: mixed citizen and staff load through HAProxy while an instance is
## killed, the Redis master fails over and the replica lags; prints the report
## (CLUSTERFLAGS: e.g. -workers 12 -cluster-phase 30s)
cluster-test:
	GO=$(GO) ./scripts/cluster.sh test $(CLUSTERFLAGS)

## cluster-down: stop every process of the cluster by its PID (data stays in .cluster/)
cluster-down:
	./scripts/cluster.sh down

## load: the provincial-scale harness (docs/performance.md): starts its own MariaDB
## (4 GB buffer pool, :13406) and Redis (:16479) with data kept in .load/, seeds up to
## LOADCASES cases, starts idcard serve and a bare Gin baseline on them, and prints
## every path of the scale goals as a ratio to the baseline or as p50/p95, beside its
## goal (LOADFLAGS: e.g. -duration 5s, or -mysql DSN -redis URL for other engines)
LOADCASES ?= 1000000
load: build
	$(GO) run ./backend/cmd/loadtest -bin bin/idcard -cases $(LOADCASES) $(LOADFLAGS)
