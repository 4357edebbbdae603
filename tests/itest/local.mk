# tests/itest/ — integration tests on a real PostgreSQL and the simulator.
