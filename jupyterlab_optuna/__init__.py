"""Optuna's dashboard and human-in-the-loop optimization, native to Jupyter."""

from __future__ import annotations

from typing import Any

from jupyterlab_optuna._version import __version__


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-optuna"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyterlab_optuna"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    from jupyterlab_optuna.server import load_extension

    load_extension(server_app)


__all__ = ["__version__"]
