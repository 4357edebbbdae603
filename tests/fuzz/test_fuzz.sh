#!/bin/sh
# test_fuzz.sh — every libFuzzer target of tests/fuzz/ for a short while
# ($OCOP_FUZZ_TIME seconds each, 10 by default), from its seeds: one TAP
# test per target, failing on any crash, leak, hang or sanitizer report;
# the whole plan is skipped when clang's libFuzzer is not installed.
# `make fuzz` runs the same targets for longer (docs/fuzzing.md).
exec bash "${top_srcdir:-.}/tests/fuzz/run" --tap -t "${OCOP_FUZZ_TIME:-10}"
