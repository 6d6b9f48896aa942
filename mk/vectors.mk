# Meaning across languages (issue 9): cross-language and fresh same-language eval sets,
# each split into halves A (tuned on) and B (held out). Needs ../shared/corpora.
.PHONY: eval-meaning embed bench-meaning

eval-meaning: install
	$(BIN)/python scripts/eval_meaning.py

# Compute every missing or stale vector of the development database, then exit.
embed: export DEBUG ?= 1
embed: install
	$(BIN)/python manage.py embed

# p50/p95 of /api/search and /api/lookup with vectors (kb_eval), beside /healthz in the same run.
bench-meaning: install
	$(BIN)/python scripts/bench_meaning.py
