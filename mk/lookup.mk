# Command lookup quality and speed (issue 4). Both need ../shared/corpora (seed notes + tldr),
# imported into a separate database (kb_eval) on first use.
.PHONY: eval-lookup bench-lookup

# hit@3 over the labelled task queries in scripts/lookup_eval.tsv.
eval-lookup: install
	$(BIN)/python scripts/eval_lookup.py

# p50/p95 of the ranking in process and of GET /api/lookup (gunicorn on 127.0.0.1).
bench-lookup: install
	$(BIN)/python scripts/bench_lookup.py
