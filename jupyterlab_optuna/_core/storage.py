"""Open optuna storages by URL or file path and keep them in a registry by a short id."""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import optuna
from optuna.storages import BaseStorage, InMemoryStorage, RDBStorage

from jupyterlab_optuna._core.errors import BadRequest, NotFound, Unavailable
from jupyterlab_optuna._core.paths import PathPolicy

StorageKind = Literal["rdb", "journal", "inmemory", "grpc"]
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
STORAGE_FILE_SUFFIXES = (*SQLITE_SUFFIXES, ".log")


@dataclass
class StorageEntry:
    """One open storage with its artifact store and the caches that belong to it."""

    storage_id: str
    url: str
    kind: StorageKind
    storage: BaseStorage
    artifact_dir: str | None = None
    artifact_store: Any = None
    label: str = ""
    cache: dict[Any, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    file_path: str | None = None
    _file_seen: tuple[int, int, int] | None = field(default=None, repr=False)

    def check_file(self) -> None:
        """Notice a storage file deleted, replaced or truncated since the last request.

        A replaced or truncated file drops the caches and the database connections (they
        would keep reading the old file); a missing or empty one is an Unavailable (503)
        until it is back.
        """
        if self.file_path is None:
            return
        try:
            st = os.stat(self.file_path)
        except OSError:
            raise Unavailable(
                f"The storage file {self.label} is gone (deleted or moved); restore it to go on."
            ) from None
        seen = (st.st_dev, st.st_ino, st.st_size)
        with self.lock:
            previous, self._file_seen = self._file_seen, seen
            if previous is not None and (previous[:2] != seen[:2] or seen[2] < previous[2]):
                self._reopen()
        if st.st_size == 0 and self.kind == "rdb":
            raise Unavailable(f"The storage file {self.label} is empty: not an Optuna database.")

    def _reopen(self) -> None:
        self.cache.clear()
        if isinstance(self.storage, RDBStorage):
            self.storage.engine.dispose()
        elif self.kind == "journal":
            self.storage = _open_storage(self.url, "journal")

    def info(self) -> dict[str, Any]:
        """The JSON the API returns for this storage (passwords masked)."""
        return {
            "storage_id": self.storage_id,
            "url": mask_password(self.url),
            "kind": self.kind,
            "artifact_dir": self.artifact_dir,
            "artifacts": self.artifact_store is not None,
            "label": self.label,
        }


def _without_password(url: str) -> str:
    """A database URL with no password in it (what allow-list patterns are matched to)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
        return parsed._replace(password=None).render_as_string(hide_password=False)
    except Exception:
        return mask_password(url)


def mask_password(url: str) -> str:
    """``url`` with its password, if any, shown as ``***``."""
    if "://" not in url or "@" not in url:
        return url
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: mask whatever sits between ':' and '@'
        return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


class StorageRegistry:
    """The storages a server (or a widget) has open, by id. Thread-safe.

    A client may open files under ``root_dir`` (the Jupyter server's root; relative paths
    resolve against it) and what the administrator allows beyond it: ``allowed_dirs`` and
    ``allowed_database_urls`` (see :class:`PathPolicy`). Storages the administrator names
    (configuration, command line, ``run_server``) open with ``trusted=True``, unconfined.
    """

    def __init__(
        self,
        root_dir: str | os.PathLike[str] | None = None,
        *,
        allowed_dirs: Iterable[str | os.PathLike[str]] = (),
        allowed_database_urls: Iterable[str] = (),
    ) -> None:
        self.paths = PathPolicy(root_dir, allowed_dirs, allowed_database_urls)
        self.root_dir = self.paths.root_dir
        self._entries: dict[str, StorageEntry] = {}
        self._ids: dict[tuple[str, str | None], str] = {}
        self._lock = threading.Lock()

    def open(
        self,
        url_or_path: str,
        artifact_dir: str | None = None,
        *,
        create: bool = False,
        trusted: bool = False,
    ) -> StorageEntry:
        """Open (or return the already open) storage for a URL or file path.

        Args:
            create: make a new SQLite file when the path does not exist yet (an existing
                file is never converted, not even an empty one).
            trusted: the administrator named this storage: no confinement to the root.

        Raises:
            BadRequest: not a storage; Forbidden: outside what this server may open.
        """
        if not isinstance(url_or_path, str) or not url_or_path.strip():
            raise BadRequest("Give a storage URL (e.g. sqlite:///study.db) or a file path.")
        if "\x00" in url_or_path or "\x00" in (artifact_dir or ""):
            raise BadRequest("A storage URL or path cannot hold a NUL character.")
        text = url_or_path.strip()
        url, kind = self._normalize(text, create, trusted)
        artifact_path = self._artifact_dir(artifact_dir, trusted)
        with self._lock:
            known = self._ids.get((url, artifact_path))
            if known is not None:
                return self._entries[known]
        if kind in ("rdb", "grpc") and not url.startswith("sqlite") and not trusted:
            self.paths.check_database_url(_without_password(url))
        storage = _open_storage(url, kind)
        entry = StorageEntry(
            storage_id=secrets.token_hex(6),
            url=url,
            kind=kind,
            storage=storage,
            artifact_dir=artifact_path,
            artifact_store=_artifact_store(artifact_path, parents=trusted),
            label=mask_password(text),
            file_path=_file_of(url, kind),
        )
        with self._lock:
            known = self._ids.setdefault((url, artifact_path), entry.storage_id)
            return self._entries.setdefault(known, entry)

    def add(
        self, storage: BaseStorage, artifact_store: Any = None, label: str = "in-memory"
    ) -> StorageEntry:
        """Register a storage object (e.g. the in-memory storage of a study in a kernel)."""
        storage_id = f"obj{id(storage):x}"[-12:]
        kind: StorageKind = "inmemory" if isinstance(storage, InMemoryStorage) else "rdb"
        if isinstance(storage, optuna.storages.JournalStorage):
            kind = "journal"
        elif isinstance(storage, optuna.storages.GrpcStorageProxy):
            kind = "grpc"
        url = _storage_url(storage) or label
        if kind == "grpc":
            label = url
        entry = StorageEntry(storage_id, url, kind, storage, None, artifact_store, label)
        with self._lock:
            return self._entries.setdefault(storage_id, entry)

    def get(self, storage_id: str) -> StorageEntry:
        with self._lock:
            entry = self._entries.get(storage_id)
        if entry is None:
            raise NotFound(f"No open storage with id {storage_id!r}; open it again.")
        entry.check_file()
        return entry

    def list(self) -> list[StorageEntry]:
        with self._lock:
            return list(self._entries.values())

    def close(self, storage_id: str) -> None:
        with self._lock:
            entry = self._entries.pop(storage_id, None)
            self._ids = {k: v for k, v in self._ids.items() if v != storage_id}
        if entry is None:
            raise NotFound(f"No open storage with id {storage_id!r}.")
        if isinstance(entry.storage, RDBStorage):
            entry.storage.engine.dispose()

    def _path(self, text: str, trusted: bool) -> tuple[Path, str]:
        """The resolved path and how messages name it."""
        if trusted:
            path = self.paths.absolute(text).resolve()
            return path, str(path)
        path = self.paths.confine(text)
        return path, self.paths.display(path)

    def _normalize(self, text: str, create: bool, trusted: bool) -> tuple[str, StorageKind]:
        if text.startswith("grpc://"):
            return grpc_url(text), "grpc"
        if "://" in text:
            database = _sqlite_database(text)
            if database is None:
                return text, "rdb"
            if database in ("", ":memory:"):
                return "sqlite:///:memory:", "rdb"
            path, shown = self._path(database, trusted)
            self._file_or_new(path, shown, create, "rdb", required="rdb")
            return f"sqlite:///{path}", "rdb"
        path, shown = self._path(text, trusted)
        kind = self._file_or_new(path, shown, create, _kind_by_suffix(path))
        return (f"sqlite:///{path}" if kind == "rdb" else str(path)), kind

    @staticmethod
    def _file_or_new(
        path: Path,
        shown: str,
        create: bool,
        new_kind: StorageKind | None,
        required: StorageKind | None = None,
    ) -> StorageKind:
        """The kind of storage in ``path``; a missing or empty file is a new storage of
        ``new_kind`` only when ``create`` asks for one. Nothing else is ever converted."""
        exists = path.exists()
        if exists and (path.is_dir() or path.stat().st_size > 0):
            kind = _require_kind(path, shown)
            if required is not None and kind != required:
                raise BadRequest(f"{shown} is not a SQLite database.")
            return kind
        if not create:
            if exists:
                raise BadRequest(
                    f"{shown} is empty, not a database or a journal yet; open it with "
                    "'create' to make a new storage in it."
                )
            raise BadRequest(f"No such file: {shown}")
        if new_kind is None:
            raise BadRequest(
                f"A new storage file needs a name ending in {', '.join(STORAGE_FILE_SUFFIXES)}."
            )
        if not path.parent.is_dir():
            raise BadRequest(f"No such directory for the new storage: {shown}")
        return new_kind

    def storage_files(self, directory: str) -> list[str]:
        """Files of ``directory`` (under the root) that open as storages, as paths relative
        to the root: SQLite databases and journal logs, told by their content.

        Raises:
            BadRequest: the directory is not one, or is outside the root.
        """
        # Like Jupyter's file browser: paths are normalized, symlinks are not followed.
        base = Path(os.path.normpath(self.root_dir / (directory or ".")))
        if not base.is_relative_to(self.root_dir):
            raise BadRequest(f"{directory} is outside the server's root directory.")
        if not base.is_dir():
            raise BadRequest(f"{directory} is not a directory.")
        return [
            p.relative_to(self.root_dir).as_posix()
            for p in sorted(base.iterdir())
            if not p.name.startswith(".") and _is_storage_file(p)
        ]

    def _artifact_dir(self, artifact_dir: str | None, trusted: bool) -> str | None:
        if artifact_dir is None or not str(artifact_dir).strip():
            return None
        path, shown = self._path(str(artifact_dir).strip(), trusted)
        if path.exists() and not path.is_dir():
            raise BadRequest(f"The artifact directory {shown} is a file.")
        if not path.exists() and not trusted and not path.parent.is_dir():
            raise BadRequest(f"The artifact directory {shown} has no parent directory.")
        return str(path)


def _sqlite_database(url: str) -> str | None:
    """The database path of a SQLite URL (any driver), or None for other databases.

    SQLite URI options (``file:…``, ``?uri=true``, ``?mode=…``) are refused: they could open
    other files or change how this one is opened.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise BadRequest(f"{mask_password(url)} is not a database URL.") from None
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if parsed.query or database.startswith("file:"):
        raise BadRequest("SQLite URLs take a plain file path, without URI options.")
    return database


def _require_kind(path: Path, shown: str) -> StorageKind:
    """The storage kind of an existing, non-empty file, else a BadRequest."""
    if path.is_dir():
        raise BadRequest(f"{shown} is a directory, not a SQLite file or a journal log.")
    kind = _file_kind(path)
    if kind is None:
        raise BadRequest(f"{shown} is neither a SQLite database nor an Optuna journal log.")
    return kind


def _kind_by_suffix(path: Path) -> StorageKind | None:
    """The kind of storage a new file of this name becomes."""
    suffix = path.suffix.lower()
    if suffix in SQLITE_SUFFIXES:
        return "rdb"
    return "journal" if suffix in STORAGE_FILE_SUFFIXES else None


def _is_storage_file(path: Path) -> bool:
    try:
        if path.suffix.lower() not in STORAGE_FILE_SUFFIXES or not path.is_file():
            return False
    except OSError:  # unreadable, or gone while listing
        return False
    return _file_kind(path) is not None


def _file_kind(path: Path) -> StorageKind | None:
    """The kind of storage a file holds: "rdb" for a SQLite database, "journal" for an
    Optuna journal log, else None (an empty file is neither: nothing is converted)."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
            if head == SQLITE_HEADER:
                return "rdb"
            f.seek(0)
            first = f.readline(1 << 20)
    except OSError:
        return None
    if not first.strip():
        return None
    try:
        op = json.loads(first)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return "journal" if isinstance(op, dict) and "op_code" in op else None


def _open_storage(url: str, kind: StorageKind) -> BaseStorage:
    try:
        if kind == "journal":
            from optuna.storages.journal import JournalFileBackend, JournalStorage

            return JournalStorage(JournalFileBackend(url))
        if kind == "grpc":
            return _open_grpc_proxy(url)
        return RDBStorage(url, engine_kwargs=_engine_kwargs(url))
    except BadRequest:
        raise
    except ImportError as e:
        raise BadRequest(f"The driver for {mask_password(url)} is not installed: {e}") from None
    except Exception as e:
        raise BadRequest(f"Could not open the storage {mask_password(url)}: {e}") from None


def grpc_url(text: str) -> str:
    """``grpc://host:port`` checked and normalised; a BadRequest says what is wrong."""
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.path not in ("", "/") or parts.query:
        raise BadRequest(
            f"A gRPC storage proxy is grpc://host:port (optuna's run_grpc_proxy_server), "
            f"got {text!r}."
        )
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"grpc://{host}:{port}"


def _open_grpc_proxy(url: str) -> BaseStorage:
    """A GrpcStorageProxy, checked to answer (a proxy that is down is a clear BadRequest)."""
    import warnings

    try:
        from optuna.storages import GrpcStorageProxy
    except ImportError as e:
        raise BadRequest(f"gRPC storages need grpcio: pip install grpcio ({e}).") from None
    host, _, port = url[len("grpc://") :].rpartition(":")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        proxy = GrpcStorageProxy(host=host.strip("[]"), port=int(port))
    try:
        proxy.get_all_studies()
    except Exception as e:
        raise BadRequest(
            f"The gRPC storage proxy at {url} does not answer ({_grpc_reason(e)}). Is "
            "optuna.storages.run_grpc_proxy_server running there?"
        ) from None
    return proxy


def _grpc_reason(error: BaseException) -> str:
    details = getattr(error, "details", None)
    return str(details() if callable(details) else error).splitlines()[0]


# Seconds to wait for a database server to answer a connection: a host that accepts and
# never answers would otherwise hold the person's "Open" for minutes.
CONNECT_TIMEOUT = 10


def _engine_kwargs(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # Handlers run on a thread pool: the same SQLite connection may serve several threads.
        return {"connect_args": {"check_same_thread": False, "timeout": 30}}
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith(("postgresql", "mysql")) and "connect_timeout" not in url:
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
    return kwargs


def _artifact_store(artifact_dir: str | None, parents: bool) -> Any:
    """A file-system artifact store, making its directory (and its parents if ``parents``)."""
    if artifact_dir is None:
        return None
    from optuna.artifacts import FileSystemArtifactStore

    Path(artifact_dir).mkdir(parents=parents, exist_ok=True)
    return FileSystemArtifactStore(artifact_dir)


def _file_of(url: str, kind: StorageKind) -> str | None:
    if kind == "journal":
        return url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return url[len("sqlite:///") :]
    return None


def _storage_url(storage: BaseStorage) -> str | None:
    inner = getattr(storage, "_backend", storage)
    if isinstance(inner, RDBStorage):
        return str(inner.url)
    if isinstance(inner, optuna.storages.GrpcStorageProxy):
        return f"grpc://{inner._host}:{inner._port}"
    return None
