"""``jupyter-optuna STORAGE``: the dashboard of a storage in the browser, without Jupyter."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jupyterlab_optuna._core.errors import DashboardError
from jupyterlab_optuna._core.web_guard import TOKEN_ENV
from jupyterlab_optuna._version import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="jupyter-optuna", description="Serve the Optuna dashboard of a storage."
    )
    parser.add_argument("storage", help="storage URL, SQLite file or journal log path")
    parser.add_argument("--artifact-dir", help="directory of a FileSystemArtifactStore")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    auth = parser.add_mutually_exclusive_group()
    auth.add_argument(
        "--token",
        help=f"the token to require (default: ${TOKEN_ENV}, else a random one, printed)",
    )
    auth.add_argument(
        "--no-token",
        action="store_true",
        help="serve without authentication: anyone who reaches the port can change studies",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="answer requests for this Host name too (e.g. behind a reverse proxy); "
        "repeatable; '*' answers any",
    )
    parser.add_argument(
        "--root-dir",
        help="directory whose storage files the page may open (default: the working directory)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args = parser.parse_args(argv)

    from optuna.artifacts import FileSystemArtifactStore

    from jupyterlab_optuna.standalone import run_server

    store = None
    if args.artifact_dir:
        Path(args.artifact_dir).mkdir(parents=True, exist_ok=True)
        store = FileSystemArtifactStore(args.artifact_dir)
    try:
        token = "" if args.no_token else args.token
        run_server(
            args.storage,
            args.host,
            args.port,
            store,
            token=token,
            allow_hosts=args.allow_host,
            root_dir=args.root_dir,
        )
    except DashboardError as e:
        print(f"jupyter-optuna: {e.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
