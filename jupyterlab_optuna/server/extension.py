"""The Jupyter server extension: our API under ``{base_url}jupyterlab-optuna/api/``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Dict, Int, List, Unicode, Union
from traitlets.config import Configurable

from jupyterlab_optuna._core.errors import DashboardError
from jupyterlab_optuna._core.routes import make_router
from jupyterlab_optuna._core.routing import MAX_UPLOAD_BYTES
from jupyterlab_optuna._core.storage import StorageRegistry, mask_password
from jupyterlab_optuna.server.handlers import (
    RouteHandlerMixin,
    StreamedUploadMixin,
    route_specs,
)

SETTINGS_KEY = "jupyterlab_optuna"


class OptunaDashboard(Configurable):
    """Settings of the dashboard's server extension (``c.OptunaDashboard.…``)."""

    storages = List(
        Union([Unicode(), Dict()]),
        default_value=[],
        help="Storages opened at start: URLs or paths, or {'url': ..., 'artifact_dir': ...}.",
    ).tag(config=True)
    allowed_dirs = List(
        Unicode(),
        default_value=[],
        help="Directories outside the server's root where people may open storage files "
        "and artifact directories (symlinks are followed before the check).",
    ).tag(config=True)
    allowed_database_urls = List(
        Unicode(),
        default_value=[],
        help="fnmatch patterns of database URLs people may open, matched against the URL "
        "without its password, e.g. 'postgresql+psycopg://optuna@db.example.org/*'. "
        "By default only the storages configured here and files under the root open.",
    ).tag(config=True)
    max_workers = Int(
        4, help="Threads running storage calls, so the event loop never waits on them."
    ).tag(config=True)
    max_upload_bytes = Int(
        MAX_UPLOAD_BYTES,
        help="Largest artifact upload, in bytes (413 past it). Uploads stream to a "
        "temporary file, never into memory.",
    ).tag(config=True)


AUTH_RESOURCE = "jupyterlab_optuna"
"""The resource Jupyter's Authorizer is asked about: GET needs "read", other verbs "write"."""


class DashboardAPIHandler(RouteHandlerMixin, APIHandler):
    """One path pattern of the API; every verb needs Jupyter's authentication and the
    authorizer's consent (JupyterHub roles or a custom Authorizer can make it read-only)."""

    auth_resource = AUTH_RESOURCE

    def user_name(self) -> str | None:
        user = self.current_user
        return (getattr(user, "display_name", "") or getattr(user, "username", "")) or None

    def _finish(self, body: bytes, content_type: str) -> None:
        # APIHandler.finish would reset the Content-Type to JSON (artifacts are media).
        self.finish(body, set_content_type=content_type)

    @web.authenticated
    @authorized
    async def get(self, **_: str) -> None:
        await self._dispatch()

    @web.authenticated
    @authorized
    async def post(self, **_: str) -> None:
        await self._dispatch()

    @web.authenticated
    @authorized
    async def put(self, **_: str) -> None:
        await self._dispatch()

    @web.authenticated
    @authorized
    async def delete(self, **_: str) -> None:
        await self._dispatch()


@web.stream_request_body
class ArtifactUploadHandler(StreamedUploadMixin, DashboardAPIHandler):
    """The artifact list and upload routes: uploads stream to a spool file as they arrive."""

    async def prepare(self) -> None:
        await super().prepare()
        if self.request.method == "POST":
            # Authenticated before any byte is read, so nobody else can fill the disk.
            user = self.current_user
            if user is None or not await ensure_async(
                self.authorizer.is_authorized(self, user, "write", AUTH_RESOURCE)
            ):
                raise web.HTTPError(403)
            self.max_upload_bytes = self.settings[SETTINGS_KEY]["max_upload_bytes"]
            self.start_upload()

    @web.authenticated  # authorized in prepare(), before the body was read
    async def post(self, **_: str) -> None:
        self.rewind_upload()
        await self._dispatch()


def load_extension(server_app: Any) -> None:
    """Register the API handlers and the storage registry with the Jupyter server."""
    config = OptunaDashboard(parent=server_app)
    web_app = server_app.web_app
    registry = StorageRegistry(
        server_app.root_dir,
        allowed_dirs=config.allowed_dirs,
        allowed_database_urls=config.allowed_database_urls,
    )
    for item in config.storages:
        spec = {"url": item} if isinstance(item, str) else dict(item)
        try:
            registry.open(spec["url"], spec.get("artifact_dir"), create=True, trusted=True)
        except (DashboardError, KeyError) as e:
            shown = mask_password(spec.get("url", "")) if isinstance(spec.get("url"), str) else ""
            server_app.log.warning("jupyterlab-optuna: cannot open storage %r: %s", shown, e)
    executor = ThreadPoolExecutor(config.max_workers, thread_name_prefix="jupyterlab-optuna")
    router = make_router()
    web_app.settings[SETTINGS_KEY] = {
        "registry": registry,
        "executor": executor,
        "max_upload_bytes": config.max_upload_bytes,
    }
    api_root = url_path_join(web_app.settings["base_url"], "jupyterlab-optuna", "api", "/")
    web_app.add_handlers(
        ".*$",
        route_specs(
            router, registry, executor, api_root, DashboardAPIHandler, ArtifactUploadHandler
        ),
    )
    server_app.log.info("jupyterlab-optuna: dashboard API at %s", api_root)
