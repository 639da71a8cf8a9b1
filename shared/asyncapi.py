"""AsyncAPI documents of every service, generated from the code (its subscribers and the
event contracts it publishes). `python -m shared.asyncapi` writes them to docs/asyncapi/;
a test fails when the committed ones differ, so contract changes are visible in review."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from shared.service import ServiceRuntime, asyncapi_document
from shared.settings import DEFAULT_PORTS, ServiceSettings

OUT = Path(__file__).resolve().parent.parent / "docs" / "asyncapi"


def documents() -> dict[str, Any]:
    result = {}
    for name in DEFAULT_PORTS:
        spec = importlib.import_module(f"services.{name}.app").spec
        # Fixed settings, not the environment's, so the documents are the same everywhere.
        settings = ServiceSettings(service=name, replica="docs", topic_prefix="",
                                   kafka_bootstrap_servers="kafka:9092")
        runtime = ServiceRuntime(spec, settings)
        result[name] = asyncapi_document(runtime)
    return result


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, document in documents().items():
        (OUT / f"{name}.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        print(f"[asyncapi] wrote docs/asyncapi/{name}.json")


if __name__ == "__main__":
    main()
