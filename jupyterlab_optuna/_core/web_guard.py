"""Who may use a dashboard served without Jupyter (``run_server``, ``jupyter-optuna``,
``wsgi``), and from where. Transport-neutral: the tornado handlers and the WSGI app hand
in an :class:`Incoming` and turn a :class:`Refused` into a JSON error.

- **A token** is required, generated at start unless given. A browser brings it once
  (``/?token=…`` or the login form) and gets an HttpOnly, SameSite=Strict session cookie
  derived from it, so no later URL carries it; scripts send ``Authorization: token …``.
- **Host allow-list** against DNS rebinding: the loopback names, IP literals, the host the
  server listens on and whatever the administrator adds.
- **Writes from the page only**: same origin (``Origin``/``Referer``), a double-submit XSRF
  token (cookie + ``X-XSRFToken`` header), and JSON bodies (uploads excepted).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

TOKEN_ENV = "JUPYTERLAB_OPTUNA_TOKEN"
"""The environment variable a token is read from when none is passed."""

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
XSRF_HEADER = "X-XSRFToken"
JSON_TYPES = ("application/json",)


class Refused(Exception):
    """A request the guard turns away, with its HTTP status and a message for the person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Incoming:
    """What the guard reads from a request (header names case-insensitive upstream)."""

    method: str
    host: str
    origin: str | None = None
    referer: str | None = None
    authorization: str | None = None
    cookies: Mapping[str, str] = field(default_factory=dict)
    xsrf_header: str | None = None
    content_type: str = ""
    content_length: int = 0
    secure: bool = False


def resolve_token(token: str | None, *, generate: bool) -> str:
    """The token to require: ``token``, else ``$JUPYTERLAB_OPTUNA_TOKEN``, else a new random
    one if ``generate``. ``""`` turns authentication off (the caller warns).

    Raises:
        ValueError: no token given, none in the environment, and ``generate`` is False.
        TypeError: the token is not a string.
    """
    if token is None:
        token = os.environ.get(TOKEN_ENV)
    if token is None:
        if not generate:
            raise ValueError(
                f"Give a token (token=... or the {TOKEN_ENV} environment variable); "
                "token='' serves without authentication."
            )
        token = secrets.token_urlsafe(32)
    if not isinstance(token, str):
        raise TypeError(f"token must be a string, got {type(token).__name__}.")
    return token


class WebGuard:
    """The checks every request to a standalone dashboard goes through.

    Args:
        token: the token a person or script must show; ``""`` for none (not recommended).
        allow_hosts: more ``Host`` names to answer (``"*"`` answers any: only behind a
            proxy that checks it). Names the server listens on are allowed already.
    """

    def __init__(self, token: str, allow_hosts: Iterable[str] = ()) -> None:
        self.token = token
        hosts = {h.strip().lower().strip("[]") for h in allow_hosts if h and h.strip()}
        self.any_host = "*" in hosts
        self.allow_hosts = frozenset(hosts - {"*", "", "0.0.0.0", "::"}) | LOCAL_HOSTS
        self._session = (
            hmac.new(token.encode(), b"jupyterlab-optuna session", hashlib.sha256).hexdigest()
            if token
            else ""
        )

    @property
    def open(self) -> bool:
        """No token required (the server was started with authentication off)."""
        return not self.token

    # --- the checks -------------------------------------------------------------------

    def check_host(self, req: Incoming) -> None:
        """Answer only Host names we serve: a foreign one means DNS rebinding or a
        misconfigured proxy."""
        name = host_name(req.host)
        if self.any_host or name in self.allow_hosts or _is_ip(name):
            return
        raise Refused(
            403,
            f"This dashboard does not answer for the host {name!r}; start it with "
            f"--allow-host {name} (allow_hosts=[...]) if that is its real name.",
        )

    def check_api(self, req: Incoming, *, upload: bool = False) -> None:
        """Every check for an API or artifact request.

        Raises:
            Refused: 403 (host, token, origin, XSRF) or 415 (a write whose body is not JSON).
        """
        self.check_host(req)
        by_header = self._authenticate(req)
        if req.method.upper() in SAFE_METHODS:
            return
        self.check_origin(req)
        if not by_header:
            self._check_xsrf(req)
        json_body = media_type(req.content_type) in JSON_TYPES
        if not upload and req.content_length > 0 and not json_body:
            raise Refused(415, "The API takes JSON bodies (Content-Type: application/json).")

    def check_origin(self, req: Incoming) -> None:
        """A write must come from a page of this server (when the browser says where from)."""
        source = req.origin if req.origin is not None else req.referer
        if source is None:
            return  # not a browser: browsers send Origin on every POST, PUT and DELETE
        netloc = urllib.parse.urlsplit(source).netloc.lower() if source != "null" else ""
        if not netloc or netloc != req.host.lower():
            raise Refused(403, "Cross-origin write refused: use the dashboard's own page.")

    def _authenticate(self, req: Incoming) -> bool:
        """True when the request shows the token in a header (scripts), False when the
        session cookie (or an open server) lets it in; else Refused."""
        header = req.authorization or ""
        if header.lower().startswith("token ") and self.token:
            if hmac.compare_digest(header[6:].strip().encode(), self.token.encode()):
                return True
            raise Refused(403, "Wrong token.")
        if self.open:
            return False
        cookie = req.cookies.get(self.cookie_names(req)[0], "")
        if cookie and hmac.compare_digest(cookie.encode(), self._session.encode()):
            return False
        raise Refused(
            403,
            "Log in first: open the URL with the token that the server printed at start "
            "(scripts send 'Authorization: token …').",
        )

    def _check_xsrf(self, req: Incoming) -> None:
        expected = req.cookies.get(self.cookie_names(req)[1], "")
        given = req.xsrf_header or ""
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            raise Refused(403, "XSRF check failed: reload the dashboard page and try again.")

    # --- logging in -------------------------------------------------------------------

    def token_ok(self, given: str | None) -> bool:
        """Whether ``given`` is the token (in constant time)."""
        given_bytes = (given or "").encode()
        return bool(self.token) and hmac.compare_digest(given_bytes, self.token.encode())

    def logged_in(self, req: Incoming) -> bool:
        """Whether the request may see the dashboard page."""
        try:
            self._authenticate(req)
        except Refused:
            return False
        return True

    def session_cookies(self, req: Incoming, *, login: bool) -> list[str]:
        """``Set-Cookie`` values for a page: the session after a login, and the XSRF
        cookie the page's script echoes in its writes when it has none yet."""
        auth, xsrf = self.cookie_names(req)
        secure = "; Secure" if req.secure else ""
        cookies = []
        if login and self._session:
            cookies.append(f"{auth}={self._session}; Path=/; HttpOnly; SameSite=Strict{secure}")
        if not req.cookies.get(xsrf):
            cookies.append(f"{xsrf}={secrets.token_hex(16)}; Path=/; SameSite=Strict{secure}")
        return cookies

    @staticmethod
    def cookie_names(req: Incoming) -> tuple[str, str]:
        """(session, XSRF) cookie names; cookies ignore ports, so the port is in the name."""
        port = urllib.parse.urlsplit(f"//{req.host}").port or (443 if req.secure else 80)
        return f"jupyterlab-optuna-{port}", f"jupyterlab-optuna-xsrf-{port}"


def host_name(host: str) -> str:
    """The name in a ``Host`` header, lower case, without port or IPv6 brackets."""
    try:
        return (urllib.parse.urlsplit(f"//{host}").hostname or "").lower()
    except ValueError:
        return ""


def media_type(content_type: str) -> str:
    """``application/json`` of ``application/json; charset=utf-8``."""
    return content_type.split(";", 1)[0].strip().lower()


def _is_ip(name: str) -> bool:
    # DNS rebinding needs a name; a browser sending an IP literal reached that address.
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
