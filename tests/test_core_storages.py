"""Opening storages by URL and path: ids, kinds, and the errors a user sees."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest

from jupyterlab_optuna._core.errors import BadRequest, NotFound
from jupyterlab_optuna._core.storage import StorageRegistry


def test_sqlite_path_and_url_open_the_same_storage(
    registry: StorageRegistry, tmp_path: Path
) -> None:
    # Given a SQLite file with a study
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'a.db'}", study_name="x")
    # When it is opened by relative path, absolute path and URL
    by_path = registry.open("a.db")
    by_abs = registry.open(str(tmp_path / "a.db"))
    by_url = registry.open(f"sqlite:///{tmp_path / 'a.db'}")
    # Then it is one storage, of the RDB kind
    assert by_path.storage_id == by_abs.storage_id == by_url.storage_id
    assert by_path.kind == "rdb"
    assert [e.storage_id for e in registry.list()] == [by_path.storage_id]


def test_journal_log_is_recognized(registry: StorageRegistry, tmp_path: Path) -> None:
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    storage = JournalStorage(JournalFileBackend(str(tmp_path / "j.log")))
    optuna.create_study(storage=storage, study_name="j")
    entry = registry.open("j.log")
    assert entry.kind == "journal"
    assert [s.study_name for s in entry.storage.get_all_studies()] == ["j"]


@pytest.mark.parametrize(
    ("make", "given", "message"),
    [
        (None, "missing.db", "No such file"),
        (None, "sqlite:///missing.db", "No such file"),
        ("text", "notes.txt", "neither a SQLite database nor an Optuna journal"),
        ("dir", "folder", "is a directory"),
        (None, "", "storage URL"),
        (None, "nosuchdriver+x://host/db", "Could not open the storage"),
    ],
)
def test_bad_storages_are_bad_requests_naming_the_problem(
    registry: StorageRegistry, tmp_path: Path, make: str | None, given: str, message: str
) -> None:
    if make == "text":
        (tmp_path / given).write_text("hello\n")
    elif make == "dir":
        (tmp_path / given).mkdir()
    with pytest.raises(BadRequest, match=message):
        registry.open(given, trusted=True)  # as configured: no allow-list before the driver
    assert registry.list() == []


def test_a_new_sqlite_file_is_created_only_when_asked(
    registry: StorageRegistry, tmp_path: Path
) -> None:
    with pytest.raises(BadRequest):
        registry.open("new.db")
    entry = registry.open("new.db", create=True)
    entry.storage.create_new_study([optuna.study.StudyDirection.MINIMIZE], "fresh")
    assert (tmp_path / "new.db").exists()


def test_closed_or_unknown_storage_is_not_found(registry: StorageRegistry, tmp_path: Path) -> None:
    entry = registry.open("x.db", create=True)
    registry.close(entry.storage_id)
    with pytest.raises(NotFound):
        registry.get(entry.storage_id)
    with pytest.raises(NotFound):
        registry.close("nope")


def test_password_is_masked_in_storage_info(registry: StorageRegistry) -> None:
    from jupyterlab_optuna._core.storage import mask_password

    assert "secret" not in mask_password("postgresql+psycopg://u:secret@127.0.0.1/db")


def test_storage_files_of_a_directory_are_told_by_their_content(
    registry: StorageRegistry, tmp_path: Path
) -> None:
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    # Given a directory with storages and files that only look like them
    (tmp_path / "runs").mkdir()
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'runs' / 'a.db'}")
    optuna.create_study(storage=JournalStorage(JournalFileBackend(str(tmp_path / "runs/j.log"))))
    (tmp_path / "runs" / "server.log").write_text("[I 12:00] started\n")
    (tmp_path / "runs" / "empty.log").write_text("")
    (tmp_path / "runs" / "fake.db").write_text("not a database")
    (tmp_path / "runs" / "notes.txt").write_text("x")
    (tmp_path / "runs" / "sub").mkdir()
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'runs' / 'sub' / 'b.db'}")
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'runs' / '.hidden.db'}")
    optuna.create_study(storage=f"sqlite:///{tmp_path / 'runs' / 'UPPER.DB'}")
    # When its storage files are listed
    files = registry.storage_files("runs")
    # Then only the real storages of that directory are, relative to the root
    assert files == ["runs/UPPER.DB", "runs/a.db", "runs/j.log"]
    assert registry.storage_files("") == []
    for outside, message in [("..", "outside"), ("runs/a.db", "not a directory")]:
        with pytest.raises(BadRequest, match=message):
            registry.storage_files(outside)


def test_storage_files_follow_the_file_browser_through_symlinks(
    registry: StorageRegistry, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Given a link in the root to a directory elsewhere (the file browser shows it)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    optuna.create_study(storage=f"sqlite:///{elsewhere / 'far.db'}")
    (tmp_path / "linked").symlink_to(elsewhere, target_is_directory=True)
    # Then its storages are listed under the link's path
    assert registry.storage_files("linked") == ["linked/far.db"]
