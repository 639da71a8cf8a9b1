"""`python -m services.events` serves the events service; `... load-demo` loads demo data."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "load-demo":
    import asyncio

    from services.events.demo import _main

    asyncio.run(_main())
else:
    from services.events.app import spec
    from shared.service import run

    run(spec)
