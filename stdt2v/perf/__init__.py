"""Performance: analytic FLOP counts, device timing, and the benchmark harnesses."""
