"""Domain errors raised by the core; each transport translates them in exactly one place."""

from __future__ import annotations

from typing import Any


class DashboardError(Exception):
    """Base class of the errors a client may see, with the HTTP status they map to.

    ``payload`` carries extra JSON fields sent beside ``message`` (for example the stored
    note on a version conflict).
    """

    status = 400

    def __init__(self, message: str, **payload: Any) -> None:
        super().__init__(message)
        self.message = message
        self.payload = payload

    def to_json(self) -> dict[str, Any]:
        """The error body every transport sends: ``{"message": ..., **payload}``."""
        return {"message": self.message, **self.payload}


class BadRequest(DashboardError):
    """The request is malformed or names something invalid (HTTP 400)."""

    status = 400


class NotFound(DashboardError):
    """An unknown storage, study, trial or artifact (HTTP 404)."""

    status = 404


class Conflict(DashboardError):
    """The request is valid but disagrees with the stored state (HTTP 409)."""

    status = 409


class Unavailable(DashboardError):
    """The storage cannot serve the request now: unreachable, or busy past every retry (503)."""

    status = 503


class PayloadTooLarge(DashboardError):
    """A request body over the configured maximum (HTTP 413); nothing was read or written."""

    status = 413


class Forbidden(DashboardError):
    """The request is well formed but not allowed here, e.g. a path outside the server's
    root directory (HTTP 403). Nothing was read or written."""

    status = 403
