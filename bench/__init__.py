"""The city-scale benchmark (run_bench.py); see README.md."""
