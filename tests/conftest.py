"""Shared fixtures: real storages (in-memory, SQLite file, journal file) and a real Jupyter server."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server",)

optuna.logging.set_verbosity(optuna.logging.WARNING)


@pytest.fixture
def jp_server_config() -> dict[str, object]:
    """Enable our server extension in pytest-jupyter's server (auth stays on: token required)."""
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_optuna": True}}}


@pytest.fixture
def jp_root_dir(tmp_path: Path) -> Path:
    """The server's root is the test's temporary directory, where its storages live
    (storages outside the root are refused; tests/test_security_paths.py shows it)."""
    return tmp_path


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """Path of a fresh SQLite file (created by the first storage that opens it)."""
    return tmp_path / "study.db"


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    """Path of a fresh JournalFileStorage log file."""
    return tmp_path / "journal.log"


def make_storage(kind: str, tmp_path: Path) -> optuna.storages.BaseStorage:
    """A real optuna storage of the given kind ("inmemory", "sqlite" or "journal")."""
    if kind == "inmemory":
        return optuna.storages.InMemoryStorage()
    if kind == "sqlite":
        return optuna.storages.get_storage(f"sqlite:///{tmp_path / 'study.db'}")
    if kind == "journal":
        from optuna.storages.journal import JournalFileBackend, JournalStorage

        return JournalStorage(JournalFileBackend(str(tmp_path / "journal.log")))
    raise ValueError(kind)


@pytest.fixture(params=["inmemory", "sqlite", "journal"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> optuna.storages.BaseStorage:
    """Each test using it runs once per storage kind."""
    return make_storage(request.param, tmp_path)


@pytest.fixture
def registry(tmp_path: Path):
    """A storage registry rooted at the test's temporary directory."""
    from jupyterlab_optuna._core.storage import StorageRegistry

    return StorageRegistry(root_dir=tmp_path)


@pytest.fixture(params=["inmemory", "sqlite", "journal"])
def entry(request: pytest.FixtureRequest, registry, tmp_path: Path):
    """An open storage of each kind, the way the API opens it (SQLite takes the fast reader)."""
    from optuna.artifacts import FileSystemArtifactStore

    if request.param == "inmemory":
        e = registry.add(optuna.storages.InMemoryStorage())
    elif request.param == "sqlite":
        e = registry.open("study.db", "artifacts", create=True)
    else:
        e = registry.open("journal.log", "artifacts", create=True)
    if e.artifact_store is None:
        (tmp_path / "artifacts").mkdir(exist_ok=True)
        e.artifact_store = FileSystemArtifactStore(str(tmp_path / "artifacts"))
    return e
