"""`python -m services.events` serves the events service."""

from services.events.app import spec
from shared.service import run

run(spec)
