"""Run by optuna-dashboard's Python: a preferential study written as optuna-dashboard does.

The decisions go through the functions optuna-dashboard's HTTP routes call (ChooseWorst
history, undo, skip), so the stored form is exactly what its UI leaves behind.
"""

import sys

import optuna
from optuna_dashboard import register_preference_feedback_component
from optuna_dashboard._preferential_history import NewHistory, remove_history, report_history
from optuna_dashboard.preferential import create_study
from optuna_dashboard.preferential._system_attrs import report_skip

db = sys.argv[1]
study = create_study(
    n_generate=3,
    storage=f"sqlite:///{db}",
    study_name="od-pref",
    sampler=optuna.samplers.RandomSampler(seed=0),
)
register_preference_feedback_component(study, "artifact", "image_id")
for _ in range(5):
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
sid, storage = study._study._study_id, study._study._storage
kept = report_history(
    sid, storage, NewHistory(mode="ChooseWorst", candidates=[0, 1, 2], clicked=1)
)
undone = report_history(
    sid, storage, NewHistory(mode="ChooseWorst", candidates=[0, 2, 3], clicked=0)
)
remove_history(sid, storage, undone)
report_skip(sid, study.trials[4]._trial_id, storage)
print(kept, undone)
