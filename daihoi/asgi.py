"""The ASGI application (production: uvicorn). Two hot paths are served beside Django.

`elections.cast_asgi` answers the ballot cast of the API and of the ballot page (on
PostgreSQL: the cached poll, a psycopg async pool and group commit, the action's checks and
statements); `elections.live_asgi`
answers the projector stream's path without holding a thread or a database connection while
the stream waits; every other request, and every cast the lean path cannot answer by itself,
goes to Django.

Under a server that speaks the ASGI lifespan protocol (uvicorn), the garbage collector is
tuned for a long-running process and the lean cast path warmed at start-up
(`prepare_long_running_process`, `cast_asgi.warm`).
"""

import gc
import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
django_application = get_asgi_application()

from daihoi.elections.cast_asgi import shutdown, warm, with_lean_cast  # noqa: E402  (after setup)
from daihoi.elections.live_asgi import with_live_streams  # noqa: E402


def prepare_long_running_process() -> None:
    """Everything loaded before the server starts (Django, the URL conf, the apps' modules)
    lives as long as the process: moved out of the collector's generations, it is not
    scanned by every full collection again, which would otherwise stop the event loop (every
    open screen and every cast waiting) for a time that grows with the whole heap. Young
    collections run less often (`DAIHOI_GC_THRESHOLD` allocations, default 10,000).

    The URL configuration (and with it every view module) is loaded first, so that the
    first requests do not pay for those imports and the modules are frozen with the rest."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports the URL conf and the views)
    gc.collect()
    gc.freeze()
    gc.set_threshold(int(os.environ.get("DAIHOI_GC_THRESHOLD", "10000")), 20, 20)


def with_lifespan(app: Any) -> Any:
    """Answer the ASGI server's lifespan messages (Django does not): at start-up the
    collector is tuned for a long-running server and the lean cast path is made ready for a
    vote's first casts (on PostgreSQL: its pool connected, the open polls read, the live
    listener reading each poll as it opens); at shutdown the lean path's pool closes."""

    async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                prepare_long_running_process()
                await warm()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    return application


application = with_lifespan(with_lean_cast(with_live_streams(django_application)))
