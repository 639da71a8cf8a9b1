"""`python -m services.notifications` serves the notifications service; `... load-demo`
configures the demo channels (see demo.py)."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "load-demo":
    import asyncio

    from services.notifications.demo import _main

    asyncio.run(_main())
else:
    from services.notifications.app import spec
    from shared.service import run

    run(spec)
