# Included from the Makefile. Needs root: podman, stand-in images (nginx, moto for MinIO).
.PHONY: compose-test-scale
compose-test-scale: ## Run docker-compose.yml + docker-compose.scale.yml end to end with podman
	bash scripts/compose-test-scale $(COMPOSE_TEST_ARGS)
