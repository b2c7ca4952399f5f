"""All trial records of a study, read incrementally from any storage."""

from __future__ import annotations

from optuna.storages import RDBStorage

from jupyterlab_optuna._core.rdb_reader import RDBTrialCache
from jupyterlab_optuna._core.records import TrialRecord, record_from_frozen
from jupyterlab_optuna._core.storage import StorageEntry


def trial_records(entry: StorageEntry, study_id: int) -> list[TrialRecord]:
    """Every trial of the study, sorted by number, from the entry's per-study cache."""
    storage = entry.storage
    key = ("trials", study_id)
    with entry.lock:
        cache = entry.cache.get(key)
        if cache is None:
            if isinstance(storage, RDBStorage):
                cache = RDBTrialCache(storage, study_id)
            else:
                cache = {}
            entry.cache[key] = cache
    if isinstance(cache, RDBTrialCache):
        return cache.refresh()
    records = []
    for t in storage.get_all_trials(study_id, deepcopy=False):
        cached = cache.get(t._trial_id)
        if cached is None or not cached.finished:
            cached = record_from_frozen(t)
            if cached.finished:
                cache[t._trial_id] = cached
        records.append(cached)
    return records


def forget_study(entry: StorageEntry, study_id: int) -> None:
    """Drop the cached trials of a study (deleted or renamed)."""
    with entry.lock:
        entry.cache.pop(("trials", study_id), None)
