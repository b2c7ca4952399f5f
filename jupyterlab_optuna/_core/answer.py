"""One request in, one answer out: what every transport sends, errors included.

The tornado handlers, the WSGI app and the widget comm all answer through
:func:`answer`, so a request gets the same status and ``{"message": ...}`` everywhere:
domain errors with their status, a storage that cannot serve with 503 and words saying
why, and anything unexpected with a JSON 500 whose details go to the server log only.
"""

from __future__ import annotations

import logging
from typing import Any

from jupyterlab_optuna._core.encoding import Body, render
from jupyterlab_optuna._core.errors import DashboardError, Unavailable
from jupyterlab_optuna._core.routing import Request, Response, Router

log = logging.getLogger("jupyterlab_optuna")


def answer(
    router: Router,
    context: Any,
    request: Request,
    gzip_ok: bool = False,
    show_details: bool = False,
) -> tuple[int, dict[str, str], Body]:
    """(status, headers, body) answering ``request``; never raises.

    ``show_details`` puts an unexpected error's own text in the message (for a kernel,
    whose user owns everything it runs); servers keep it for their log.
    """
    try:
        response = router.dispatch(context, request)
    except DashboardError as e:
        response = error_response(e)
    except Exception as e:
        response = error_response(_unexpected(e, request, show_details))
    try:
        return render(response, gzip_ok)
    except Exception as e:
        return render(error_response(_unexpected(e, request, show_details)), gzip_ok)


def error_response(error: DashboardError) -> Response:
    """The JSON answer of a domain error."""
    return Response(data=error.to_json(), status=error.status)


class InternalError(DashboardError):
    """A failure the request did not cause (HTTP 500); the details are in the server log."""

    status = 500


def _unexpected(error: Exception, request: Request, show_details: bool) -> DashboardError:
    storage_error = storage_unavailable(error)
    if storage_error is not None:
        log.warning("jupyterlab-optuna: %s %s: %s", request.method, request.path, error)
        return storage_error
    log.error("jupyterlab-optuna: %s %s failed", request.method, request.path, exc_info=error)
    if show_details:
        return InternalError(f"{type(error).__name__}: {error}")
    return InternalError(
        f"Internal error ({type(error).__name__}); the server log has the details."
    )


def _is_grpc_unavailable(error: BaseException) -> bool:
    code = getattr(error, "code", None)
    if type(error).__module__.startswith("grpc") and callable(code):
        return getattr(code(), "name", "") in ("UNAVAILABLE", "DEADLINE_EXCEEDED")
    return False


def storage_unavailable(error: BaseException) -> Unavailable | None:
    """A 503 saying in words why the storage cannot serve, when ``error`` is one of the
    database's own failures; None for anything else."""
    from sqlalchemy import exc

    from jupyterlab_optuna._core.rdb_tx import is_transient

    if _is_grpc_unavailable(error):
        return Unavailable(
            "The gRPC storage proxy does not answer; try again when it is back "
            "(optuna.storages.run_grpc_proxy_server)."
        )
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, exc.SQLAlchemyError):
        cause = cause.__cause__ or cause.__context__
    if not isinstance(cause, exc.DBAPIError):
        return None
    if is_transient(cause):
        return Unavailable("The database stayed busy with other writers; try again.")
    text = str(cause.orig).lower()
    if "file is not a database" in text or "malformed" in text:
        return Unavailable("The storage file is not a SQLite database (any more).")
    if "no such table" in text or "unable to open database" in text:
        return Unavailable(
            "The storage file is gone or is no longer an Optuna database; "
            "restore it or open another storage."
        )
    if "readonly" in text or "read-only" in text:
        return Unavailable("The storage is read-only for this server: nothing was written.")
    if isinstance(cause, exc.OperationalError | exc.InterfaceError):
        return Unavailable("The database cannot be reached; try again when it is back.")
    return None
