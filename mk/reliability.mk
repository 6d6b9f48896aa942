# Hostile input and load against a live gunicorn (issue 12). Results: BENCHMARKS.md, "Reliability".
.PHONY: fuzz load

# Every URL pattern x scripts/hostile.py's bad inputs; fails on any 5xx or request over 3 s.
fuzz: install
	$(BIN)/python scripts/fuzz.py

# A bounded loopback load: 50 clients for 60 s; prints p50/p95/p99 and the errors.
load: install
	$(BIN)/python scripts/load.py --clients 50 --seconds 60
