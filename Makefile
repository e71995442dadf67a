# compute_market: every build and test entry point.
#
#   make test   every test in the repository (program unit tests, native suite, IDL freshness)
#   make idl    regenerate idl/compute_market.json after an interface change

CARGO ?= cargo
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
# The runtime logs every instruction at debug level; set RUST_LOG=debug to see them.
RUST_LOG ?= error
export RUST_LOG

.PHONY: test test-program idl idl-check

test: test-program idl-check

# Unit tests of the pure pricing/reputation/state code, then the native suite with the program as a builtin.
test-program:
	$(CARGO) test --locked --workspace

idl:
	$(CARGO) run --locked --quiet -p idl-gen

idl-check:
	$(CARGO) run --locked --quiet -p idl-gen -- --check
