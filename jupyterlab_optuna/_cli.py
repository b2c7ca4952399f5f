"""``jupyter-optuna STORAGE``: the dashboard of a storage in the browser, without Jupyter."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jupyterlab_optuna._core.errors import DashboardError
from jupyterlab_optuna._version import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="jupyter-optuna", description="Serve the Optuna dashboard of a storage."
    )
    parser.add_argument("storage", help="storage URL, SQLite file or journal log path")
    parser.add_argument("--artifact-dir", help="directory of a FileSystemArtifactStore")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", help="require this token on every API request")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args = parser.parse_args(argv)

    from optuna.artifacts import FileSystemArtifactStore

    from jupyterlab_optuna.standalone import run_server

    store = None
    if args.artifact_dir:
        Path(args.artifact_dir).mkdir(parents=True, exist_ok=True)
        store = FileSystemArtifactStore(args.artifact_dir)
    try:
        run_server(args.storage, args.host, args.port, store, token=args.token)
    except DashboardError as e:
        print(f"jupyter-optuna: {e.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
