"""The ASGI application (production: uvicorn). Two hot paths are served beside Django.

`elections.cast_asgi` answers the ballot cast of the API (on PostgreSQL: cached voters, a
psycopg async pool and group commit, the action's checks and statements); `elections.live_asgi`
answers the projector stream's path without holding a thread or a database connection while
the stream waits; every other request, and every cast the lean path cannot answer by itself,
goes to Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
django_application = get_asgi_application()

from daihoi.elections.cast_asgi import with_lean_cast  # noqa: E402  (after Django's setup)
from daihoi.elections.live_asgi import with_live_streams  # noqa: E402

application = with_lean_cast(with_live_streams(django_application))
