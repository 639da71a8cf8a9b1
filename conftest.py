# Shared pytest fixtures for every test folder (services/*/tests and tests/).
pytest_plugins = ["tests.infra"]
