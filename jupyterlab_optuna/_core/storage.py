"""Open optuna storages by URL or file path and keep them in a registry by a short id."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import optuna
from optuna.storages import BaseStorage, InMemoryStorage, RDBStorage

from jupyterlab_optuna._core.errors import BadRequest, NotFound, Unavailable

StorageKind = Literal["rdb", "journal", "inmemory"]
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
            "url": _mask_password(self.url),
            "kind": self.kind,
            "artifact_dir": self.artifact_dir,
            "artifacts": self.artifact_store is not None,
            "label": self.label,
        }


def _mask_password(url: str) -> str:
    if "://" not in url or "@" not in url:
        return url
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


class StorageRegistry:
    """The storages a server (or a widget) has open, by id. Thread-safe.

    Relative file paths resolve against ``root_dir`` (the Jupyter server's root).
    """

    def __init__(self, root_dir: str | os.PathLike[str] | None = None) -> None:
        self.root_dir = Path(root_dir or os.getcwd()).expanduser().resolve()
        self._entries: dict[str, StorageEntry] = {}
        self._lock = threading.Lock()

    def open(
        self, url_or_path: str, artifact_dir: str | None = None, *, create: bool = False
    ) -> StorageEntry:
        """Open (or return the already open) storage for a URL or file path."""
        if not isinstance(url_or_path, str) or not url_or_path.strip():
            raise BadRequest("Give a storage URL (e.g. sqlite:///study.db) or a file path.")
        if "\x00" in url_or_path or "\x00" in (artifact_dir or ""):
            raise BadRequest("A storage URL or path cannot hold a NUL character.")
        url, kind = self._normalize(url_or_path.strip(), create)
        artifact_path = self._artifact_dir(artifact_dir)
        storage_id = hashlib.sha1(json.dumps([url, artifact_path]).encode()).hexdigest()[:12]
        with self._lock:
            if storage_id in self._entries:
                return self._entries[storage_id]
        storage = _open_storage(url, kind)
        entry = StorageEntry(
            storage_id=storage_id,
            url=url,
            kind=kind,
            storage=storage,
            artifact_dir=artifact_path,
            artifact_store=_artifact_store(artifact_path),
            label=_mask_password(url_or_path.strip()),
            file_path=_file_of(url, kind),
        )
        with self._lock:
            return self._entries.setdefault(storage_id, entry)

    def add(
        self, storage: BaseStorage, artifact_store: Any = None, label: str = "in-memory"
    ) -> StorageEntry:
        """Register a storage object (e.g. the in-memory storage of a study in a kernel)."""
        storage_id = f"obj{id(storage):x}"[-12:]
        kind: StorageKind = "inmemory" if isinstance(storage, InMemoryStorage) else "rdb"
        if isinstance(storage, optuna.storages.JournalStorage):
            kind = "journal"
        url = _storage_url(storage) or label
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
        if entry is None:
            raise NotFound(f"No open storage with id {storage_id!r}.")
        if isinstance(entry.storage, RDBStorage):
            entry.storage.engine.dispose()

    def _resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.root_dir / p

    def _normalize(self, text: str, create: bool) -> tuple[str, StorageKind]:
        if "://" in text:
            if text.startswith("sqlite:///"):
                path = text[len("sqlite:///") :]
                if path and path != ":memory:":
                    resolved = self._resolve(path)
                    _check_sqlite(resolved, text, create)
                    return f"sqlite:///{resolved}", "rdb"
            return text, "rdb"
        path = self._resolve(text)
        if not path.exists():
            if create and path.suffix in SQLITE_SUFFIXES:
                return f"sqlite:///{path}", "rdb"
            raise BadRequest(f"No such file: {path}")
        if path.is_dir():
            raise BadRequest(f"{path} is a directory, not a SQLite file or a journal log.")
        kind = _file_kind(path)
        if kind == "rdb":
            return f"sqlite:///{path}", "rdb"
        if kind == "journal":
            return str(path), "journal"
        raise BadRequest(f"{path} is neither a SQLite database nor an Optuna journal log.")

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

    def _artifact_dir(self, artifact_dir: str | None) -> str | None:
        if artifact_dir is None or not str(artifact_dir).strip():
            return None
        path = self._resolve(str(artifact_dir).strip())
        if path.exists() and not path.is_dir():
            raise BadRequest(f"The artifact directory {path} is a file.")
        return str(path)


def _check_sqlite(path: Path, url: str, create: bool) -> None:
    if path.exists():
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
        if head not in (SQLITE_HEADER, b""):
            raise BadRequest(f"{path} is not a SQLite database.")
    elif not create:
        raise BadRequest(f"No such file: {path} (from {url})")


def _is_storage_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    try:
        if suffix not in STORAGE_FILE_SUFFIXES or not path.is_file():
            return False
        if path.stat().st_size == 0 and suffix not in SQLITE_SUFFIXES:
            return False  # an empty .log is any program's log as much as a journal
    except OSError:  # unreadable, or gone while listing
        return False
    return _file_kind(path) is not None


def _file_kind(path: Path) -> StorageKind | None:
    """The kind of storage a file holds: "rdb" for a SQLite database, "journal" for an
    Optuna journal log (an empty file is one or the other by its suffix), else None."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
            if head == SQLITE_HEADER or (head == b"" and path.suffix.lower() in SQLITE_SUFFIXES):
                return "rdb"
            f.seek(0)
            first = f.readline(1 << 20)
    except OSError:
        return None
    try:
        op = json.loads(first) if first.strip() else {"op_code": 0}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return "journal" if isinstance(op, dict) and "op_code" in op else None


def _open_storage(url: str, kind: StorageKind) -> BaseStorage:
    try:
        if kind == "journal":
            from optuna.storages.journal import JournalFileBackend, JournalStorage

            return JournalStorage(JournalFileBackend(url))
        return RDBStorage(url, engine_kwargs=_engine_kwargs(url))
    except BadRequest:
        raise
    except ImportError as e:
        raise BadRequest(f"The driver for {_mask_password(url)} is not installed: {e}") from None
    except Exception as e:
        raise BadRequest(f"Could not open the storage {_mask_password(url)}: {e}") from None


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


def _artifact_store(artifact_dir: str | None) -> Any:
    if artifact_dir is None:
        return None
    from optuna.artifacts import FileSystemArtifactStore

    Path(artifact_dir).mkdir(parents=True, exist_ok=True)
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
    return None
