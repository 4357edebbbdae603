# tests/bench/ — benchmarks (make bench).
