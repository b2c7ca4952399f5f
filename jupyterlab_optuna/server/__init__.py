"""Jupyter server extension of jupyterlab-optuna."""

from jupyterlab_optuna.server.extension import OptunaDashboard, load_extension

__all__ = ["OptunaDashboard", "load_extension"]
