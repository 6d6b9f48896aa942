# Webhooks (issue 14): the background sender. Runs beside `make run`; Ctrl-C stops it.
.PHONY: webhooks

webhooks: export DEBUG ?= 1
webhooks: install
	$(BIN)/python manage.py deliver_webhooks --watch
