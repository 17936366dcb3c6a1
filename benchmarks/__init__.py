"""mirscope benchmarks (`make bench`)."""
