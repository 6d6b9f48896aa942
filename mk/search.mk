# Search quality and speed (issue 3). Both need ../shared (the seed notes) or generate data.
.PHONY: eval-search bench-search bench-quick

# MRR@10 / hit@5 / precision@5 of kb's search beside ILIKE and 'simple' FTS baselines.
eval-search: install
	$(BIN)/python scripts/search_eval.py --verbose

# p50/p95 of /api/search (HTTP, gunicorn) and SQL alone at 1k/10k/100k notes.
bench-search: install
	$(BIN)/python scripts/search_bench.py --sizes 1000,10000,100000

bench-quick: install
	$(BIN)/python scripts/search_bench.py --sizes 1000
