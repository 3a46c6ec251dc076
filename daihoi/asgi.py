"""The ASGI application (production: uvicorn). Live streams are served beside Django.

`elections.live_asgi` answers the projector stream's path without holding a thread or a
database connection while the stream waits; every other request goes to Django.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
django_application = get_asgi_application()

from daihoi.elections.live_asgi import with_live_streams  # noqa: E402  (after Django's setup)

application = with_live_streams(django_application)
