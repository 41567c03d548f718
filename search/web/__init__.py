"""``bahth serve``: a web page for searching an index, and a JSON API (Starlette, Jinja2,
uvicorn; the optional extra ``bahth[serve]``).

``create_app(index)`` is the ASGI app (``app``); ``serve(index, host, port)`` runs it
(``server``), as ``bahth serve`` does.
"""

from __future__ import annotations

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
