"""Where a server may open storages: the files under its root directory, and what an
administrator allows beyond it (directories, database URL patterns).

Paths are resolved (``..`` and symlinks followed) before they are checked, so neither a
relative path nor a link leads outside. Messages name paths relative to the root, or as the
person gave them, and never say whether something outside exists.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path

from jupyterlab_optuna._core.errors import BadRequest, Forbidden

ALLOW_DIRS_HINT = "c.OptunaDashboard.allowed_dirs"
ALLOW_URLS_HINT = "c.OptunaDashboard.allowed_database_urls"


class PathPolicy:
    """The directories and database URLs a registry may open on a client's request.

    Args:
        root_dir: the server's root (Jupyter's ``root_dir``; the working directory of
            ``jupyter-optuna``). Relative paths resolve against it.
        allowed_dirs: more directories an administrator allows (their subtrees too).
        allowed_database_urls: ``fnmatch`` patterns of database URLs a client may open,
            matched against the URL without its password (e.g. ``postgresql://optuna@db/*``).
    """

    def __init__(
        self,
        root_dir: str | os.PathLike[str] | None = None,
        allowed_dirs: Iterable[str | os.PathLike[str]] = (),
        allowed_database_urls: Iterable[str] = (),
    ) -> None:
        self.root_dir = Path(root_dir or os.getcwd()).expanduser().resolve()
        self.allowed_dirs = [self.root_dir] + [
            Path(d).expanduser().resolve() for d in allowed_dirs
        ]
        self.allowed_database_urls = list(allowed_database_urls)

    def absolute(self, text: str) -> Path:
        """``text`` as an absolute path (relative ones against the root), not yet resolved."""
        path = Path(text).expanduser()
        return path if path.is_absolute() else self.root_dir / path

    def confine(self, text: str) -> Path:
        """The resolved path of ``text``, which must lie in an allowed directory.

        Raises:
            Forbidden: the path, or the file a link in it points to, lies outside.
        """
        try:
            resolved = self.absolute(text).resolve()
        except (OSError, RuntimeError):  # a link loop
            raise BadRequest(f"{text!r} cannot be resolved (a symbolic link loop?).") from None
        if not any(resolved.is_relative_to(d) for d in self.allowed_dirs):
            raise Forbidden(
                f"{text!r} is outside the server's root directory; this server opens files "
                f"only there (an administrator can allow more directories with "
                f"{ALLOW_DIRS_HINT})."
            )
        return resolved

    def display(self, path: Path) -> str:
        """How a message names an allowed path: relative to the root when it is inside."""
        if path.is_relative_to(self.root_dir):
            return path.relative_to(self.root_dir).as_posix() or "."
        return str(path)

    def check_database_url(self, shown: str) -> None:
        """Refuse a database server URL (``shown`` without its password) that no
        administrator's pattern allows."""
        if any(fnmatch.fnmatchcase(shown, p) for p in self.allowed_database_urls):
            return
        raise Forbidden(
            f"This server opens database URLs only where an administrator allowed them; "
            f"{shown} matches none of its patterns (add one to {ALLOW_URLS_HINT}, "
            f"e.g. {_example_pattern(shown)!r})."
        )


def _example_pattern(shown: str) -> str:
    head, _, _ = shown.rpartition("/")
    return f"{head}/*" if "://" in head else shown
