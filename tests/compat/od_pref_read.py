"""Run by optuna-dashboard's Python: print what it reads of a preferential study, as JSON."""

import json
import sys

import optuna
from optuna_dashboard._serializer import serialize_preference_history
from optuna_dashboard.preferential import load_study
from optuna_dashboard.preferential._system_attrs import get_n_generate, get_skipped_trial_ids

db, name = sys.argv[1:3]
study = load_study(
    study_name=name, storage=f"sqlite:///{db}", sampler=optuna.samplers.RandomSampler()
)
attrs = study._study._storage.get_study_system_attrs(study._study._study_id)
print(json.dumps({
    "n_generate": get_n_generate(attrs),
    "preferences": sorted([b.number, w.number] for b, w in study.preferences),
    "history": serialize_preference_history(attrs),
    "skipped_trial_ids": sorted(get_skipped_trial_ids(attrs)),
    "best_trials": sorted(t.number for t in study.best_trials),
    "should_generate": study.should_generate(),
    "component": attrs.get("preference:component"),
}))  # fmt: skip
