# compute_market: every build and test entry point.
#
#   make demo   a local marketplace: builds the artifact (native program if that fails) and the dApp, starts
#               the local node on 127.0.0.1:8899/8900 with demo providers, jobs, matcher and agents, the
#               indexer's REST API at http://127.0.0.1:8902, serves the dApp at http://127.0.0.1:8080/, and
#               prints what to run next
#   make test   every test in the repository: program unit tests, the program suite natively, the same
#               suite on the sBPF artifact in the SVM, the CLI and TypeScript client against a local
#               node, the dApp (unit tests, then end to end in Chromium), and IDL freshness
#   make cli    install cmkt into ~/.cargo/bin
#   make sbf    build the sBPF artifact, target/deploy/compute_market.so
#   make bench  compute units per instruction, account sizes and rent, .so size, the matcher's decision
#               time (10,000 jobs x 10,000 providers), post-to-running latency, the sandbox's cost per
#               job start, and the indexer's ingest rate and API latency (SQLite and PostgreSQL)
#               -> docs/COMPUTE_UNITS.md
#   make postgres  start the throwaway PostgreSQL server the indexer's tests and bench use (Debian's package)
#   make sandbox  install what the agent isolates jobs with (Debian's bubblewrap, slirp4netns, podman...)
#   make idl    regenerate idl/compute_market.json after an interface change

CARGO ?= cargo
# Builds and test runs select the whole workspace (filtering targets with --bin/--test) so that every one
# resolves features as `cargo test --workspace` does and reuses what it compiled.
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
# The runtime logs every instruction at debug level; set RUST_LOG=debug to see them.
RUST_LOG ?= error
export RUST_LOG
DEPLOY := $(CURDIR)/target/deploy

.PHONY: demo app cli sandbox postgres artifact test test-program test-sbf test-ts test-app sbf bench idl idl-check

demo: app sandbox
	@sbf/build.sh || echo "demo: no sBPF artifact; the node runs the native program"
	$(CARGO) build --locked --workspace --bin localnet --bin cmkt
	$(CARGO_TARGET_DIR)/debug/localnet --demo --app app/dist

# The dApp's packages, installed again only when its lockfile changes.
app/node_modules/.package-lock.json: app/package-lock.json
	cd app && npm ci --no-audit --no-fund

# The dApp, built into app/dist.
app: app/node_modules/.package-lock.json
	cd app && npm run build

cli:
	$(CARGO) install --locked --path cli

# What the agent isolates jobs with (bubblewrap, slirp4netns, podman, runc, busybox-static), from Debian.
sandbox:
	agent/scripts/install-sandbox.sh

test: test-program test-sbf test-ts test-app idl-check

# The TypeScript client against a local node the test starts (the artifact when built, else native).
test-ts:
	$(CARGO) build --locked --workspace --bin localnet --bin cmkt
	cd clients/ts && npm ci --no-audit --no-fund && npm test

# The dApp: its JavaScript within its budget (250 kB gzip), its unit and component tests, then end to end
# in Debian's Chromium (installed by the script) against a local node serving the built dApp, with the
# matcher and a provider agent.
test-app: app
	node app/scripts/bundle-size.mjs
	$(CARGO) build --locked --workspace --bin localnet --bin cmkt
	cd app && npm test
	app/scripts/install-chromium.sh
	cd app && npm run e2e

# A throwaway PostgreSQL server on 127.0.0.1:55432 (installed from Debian when missing).
postgres:
	indexer/scripts/postgres.sh start

# The deployable artifact, built first so that the tests that start a local node run it: only the .so logs
# the program's events (natively `emit!` is a no-op), and the indexer's node tests read them. When the
# toolchain cannot be fetched, those tests say SKIPPED and the rest run on the native program.
artifact:
	@status=0; sbf/build.sh || status=$$?; \
	if [ $$status -eq 2 ]; then \
		echo "SKIPPED: the sBPF artifact (the toolchain could not be fetched); local nodes run the native program"; \
	elif [ $$status -ne 0 ]; then \
		exit $$status; \
	fi

# Unit tests of the pure pricing/reputation/state code, the program suite with the program as a builtin,
# the hostile-job suite against the agent's sandbox and podman, and the indexer against SQLite and the
# PostgreSQL server started here.
test-program: sandbox artifact
	url=$$(indexer/scripts/postgres.sh start) && INDEXER_TEST_POSTGRES_URL=$$url $(CARGO) test --locked --workspace

sbf:
	sbf/build.sh

# The program suite again, on the deployable artifact. Skipped, saying so, only when the sBPF toolchain
# cannot be fetched here (sbf/build.sh exits 2); a build failure fails the target.
test-sbf:
	@status=0; sbf/build.sh || status=$$?; \
	if [ $$status -eq 2 ]; then \
		echo "SKIPPED: sBPF tier (the toolchain could not be fetched; see the sbf: lines above). Native tiers ran."; \
	elif [ $$status -ne 0 ]; then \
		exit $$status; \
	else \
		CARGO=$(CARGO) tests/native/run-on-sbf.sh $(DEPLOY); \
	fi

bench: sbf sandbox app
	node app/scripts/bundle-size.mjs
	$(CARGO) build --locked --workspace --bin cu_bench --bin matcher_bench --bin latency_bench --bin sandbox_bench \
		--bin index_bench
	SBF_OUT_DIR=$(DEPLOY) $(CARGO_TARGET_DIR)/debug/cu_bench docs/COMPUTE_UNITS.md
	$(CARGO_TARGET_DIR)/debug/matcher_bench docs/COMPUTE_UNITS.md
	SBF_OUT_DIR=$(DEPLOY) $(CARGO_TARGET_DIR)/debug/latency_bench docs/COMPUTE_UNITS.md
	$(CARGO_TARGET_DIR)/debug/sandbox_bench docs/COMPUTE_UNITS.md
	url=$$(indexer/scripts/postgres.sh start) && INDEXER_BENCH_POSTGRES_URL=$$url SBF_OUT_DIR=$(DEPLOY) \
		$(CARGO_TARGET_DIR)/debug/index_bench docs/COMPUTE_UNITS.md

idl:
	$(CARGO) run --locked --quiet -p idl-gen

idl-check:
	$(CARGO) run --locked --quiet -p idl-gen -- --check
	cd clients/ts && npm ci --no-audit --no-fund && npm run generate:check
