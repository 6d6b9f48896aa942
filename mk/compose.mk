# Included from the Makefile. Needs root: installs podman, builds stand-in base images.
.PHONY: compose-test
compose-test: ## Build the image and run the docker-compose stack end to end with podman
	bash scripts/compose-test $(COMPOSE_TEST_ARGS)
