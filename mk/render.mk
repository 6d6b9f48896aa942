# Markdown rendering speed (issue 10, 12): re-rendering seed + tldr after a render-version
# bump, note page times, and the hostile inputs. Imports ../shared/corpora into kb_render
# on first use.
.PHONY: bench-render

bench-render: install
	$(BIN)/python scripts/bench_render.py
	$(BIN)/python scripts/bench_render.py --hostile
