"""`python -m services.guide` serves the guide."""

from services.guide.app import spec
from shared.service import run

run(spec)
