"""Transport-neutral core: plain functions over optuna storages, no tornado, no traitlets."""
