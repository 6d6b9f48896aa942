# Webhooks (issue 14): the background sender. Runs beside `make run`; Ctrl-C stops it.
.PHONY: webhooks

webhooks: export DEBUG ?= 1
webhooks: install
	$(BIN)/python manage.py deliver_webhooks --watch

# Note save time with no webhook, dead ones, hanging ones and answering ones (BENCHMARKS.md).
.PHONY: bench-webhooks
bench-webhooks: install
	$(BIN)/python scripts/bench_webhooks.py
