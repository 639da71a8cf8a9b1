"""`python -m services.notifications` serves the notifications service."""

from services.notifications.app import spec
from shared.service import run

run(spec)
