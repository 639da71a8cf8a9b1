"""`python -m services.metrics` serves the metrics service."""

from services.metrics.app import spec
from shared.service import run

run(spec)
