"""Form widgets a person fills in to rate a running trial (optuna-dashboard compatible).

``register_objective_form_widgets`` makes the answers the trial's objective values (one
widget per direction); ``register_user_attr_form_widgets`` saves them as user attrs.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from jupyterlab_optuna.hitl._targets import study_target

FORM_WIDGETS_KEY = "dashboard:form_widgets:v2"
LEGACY_FORM_WIDGETS_V1_KEY = "dashboard:objective_form_widgets:v1"
LEGACY_FORM_WIDGETS_KEY = "dashboard:objective_form_widgets"


class FormWidgetsJSON(TypedDict):
    output_type: Literal["objective", "user_attr"]
    widgets: list[dict[str, Any]]


@dataclass
class ChoiceWidget:
    """Buttons to pick one of ``choices``; the answer is the matching entry of ``values``.

    Example:
        >>> from jupyterlab_optuna import ChoiceWidget
        >>> w = ChoiceWidget(choices=["Good", "Bad"], values=[1, -1], description="Rate it")
    """

    choices: list[str]
    values: list[float]
    description: str | None = None
    user_attr_key: str | None = None

    def __post_init__(self) -> None:
        if len(self.choices) != len(self.values):
            raise ValueError(
                f"ChoiceWidget needs one value per choice: {len(self.choices)} choices, "
                f"{len(self.values)} values."
            )

    def to_dict(self) -> dict[str, Any]:
        """The JSON stored in the study (optuna-dashboard's shape)."""
        return {
            "type": "choice",
            "description": self.description,
            "choices": list(self.choices),
            "values": list(self.values),
            "user_attr_key": self.user_attr_key,
        }


@dataclass
class SliderWidget:
    """A slider from ``min`` to ``max``; ``labels`` are ``(value, label)`` marks.

    Example:
        >>> from jupyterlab_optuna import SliderWidget
        >>> w = SliderWidget(min=1, max=10, step=1, labels=[(1, "Worst"), (10, "Best")])
    """

    min: float
    max: float
    step: float | None = None
    labels: list[tuple[float, str]] | None = None
    description: str | None = None
    user_attr_key: str | None = None

    def __post_init__(self) -> None:
        if not self.min < self.max:
            raise ValueError(f"SliderWidget needs min < max, got {self.min} and {self.max}.")

    def to_dict(self) -> dict[str, Any]:
        """The JSON stored in the study (optuna-dashboard's shape)."""
        labels = None
        if self.labels is not None:
            labels = [{"value": value, "label": label} for value, label in self.labels]
        return {
            "type": "slider",
            "description": self.description,
            "min": self.min,
            "max": self.max,
            "step": self.step,
            "labels": labels,
            "user_attr_key": self.user_attr_key,
        }


@dataclass
class TextInputWidget:
    """A free text answer (a number in objective mode, where it cannot be ``optional``).

    Example:
        >>> from jupyterlab_optuna import TextInputWidget
        >>> w = TextInputWidget(description="What is wrong?", user_attr_key="why", optional=True)
    """

    description: str | None = None
    user_attr_key: str | None = None
    optional: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON stored in the study (optuna-dashboard's shape)."""
        return {
            "type": "text",
            "description": self.description,
            "optional": self.optional,
            "user_attr_key": self.user_attr_key,
        }


@dataclass
class ObjectiveUserAttrRef:
    """An objective value read from the trial's user attr ``key`` (objective forms only).

    Example:
        >>> from jupyterlab_optuna import ObjectiveUserAttrRef
        >>> ref = ObjectiveUserAttrRef(key="accuracy")
    """

    key: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON stored in the study (optuna-dashboard's shape)."""
        return {"type": "user_attr", "key": self.key}


ObjectiveFormWidget = ChoiceWidget | SliderWidget | TextInputWidget | ObjectiveUserAttrRef

# optuna-dashboard's older names, kept so that its scripts run unchanged.
ObjectiveChoiceWidget = ChoiceWidget
ObjectiveSliderWidget = SliderWidget
ObjectiveTextInputWidget = TextInputWidget
UserAttrFormWidget = ChoiceWidget | SliderWidget | TextInputWidget


def dict_to_form_widget(d: Mapping[str, Any]) -> ObjectiveFormWidget:
    """The widget object of a stored widget dict (the inverse of ``to_dict``).

    Example:
        >>> from jupyterlab_optuna import ChoiceWidget, dict_to_form_widget
        >>> w = ChoiceWidget(choices=["a", "b"], values=[0, 1])
        >>> dict_to_form_widget(w.to_dict()) == w
        True
    """
    kind = d.get("type")
    required = {"choice": ("choices", "values"), "slider": ("min", "max"), "user_attr": ("key",)}
    missing = [k for k in required.get(kind, ()) if k not in d] if isinstance(kind, str) else []
    if missing:
        raise ValueError(f"A {kind!r} form widget needs {', '.join(map(repr, missing))}: {d!r}.")
    if kind == "choice":
        return ChoiceWidget(
            choices=list(d["choices"]),
            values=list(d["values"]),
            description=d.get("description"),
            user_attr_key=d.get("user_attr_key"),
        )
    if kind == "slider":
        labels = d.get("labels")
        return SliderWidget(
            min=d["min"],
            max=d["max"],
            step=d.get("step"),
            labels=None if labels is None else [(x["value"], x["label"]) for x in labels],
            description=d.get("description"),
            user_attr_key=d.get("user_attr_key"),
        )
    if kind == "text":
        return TextInputWidget(
            description=d.get("description"),
            optional=bool(d.get("optional", False)),
            user_attr_key=d.get("user_attr_key"),
        )
    if kind == "user_attr":
        return ObjectiveUserAttrRef(key=d["key"])
    raise ValueError(f"Unknown form widget type {kind!r} (choice, slider, text or user_attr).")


def register_objective_form_widgets(study: Any, widgets: Sequence[ObjectiveFormWidget]) -> None:
    """Let people rate running trials: each widget's answer is one objective value.

    Raises:
        TypeError: for anything but the widget classes above.
        ValueError: when the number of widgets differs from the study's directions, or
            for an ``optional`` ``TextInputWidget`` (every objective needs a value).

    Example:
        >>> import optuna
        >>> from jupyterlab_optuna import ChoiceWidget, register_objective_form_widgets
        >>> study = optuna.create_study()
        >>> register_objective_form_widgets(
        ...     study, widgets=[ChoiceWidget(choices=["Good", "Bad"], values=[0, 1])]
        ... )
    """
    _check_types(widgets)
    storage, study_id = study_target(study)
    n_directions = len(storage.get_study_directions(study_id))
    if len(widgets) != n_directions:
        raise ValueError(
            f"The study has {n_directions} objective(s) but {len(widgets)} widget(s) were "
            "given: register one widget per objective."
        )
    if any(isinstance(w, TextInputWidget) and w.optional for w in widgets):
        raise ValueError(
            "TextInputWidget.optional must be False in an objective form: every objective "
            "needs a value (use register_user_attr_form_widgets for optional answers)."
        )
    if any(not isinstance(w, ObjectiveUserAttrRef) and w.user_attr_key for w in widgets):
        warnings.warn("`user_attr_key` specified, but it will not be used.", stacklevel=2)
    _store(storage, study_id, "objective", widgets)


def register_user_attr_form_widgets(study: Any, widgets: Sequence[UserAttrFormWidget]) -> None:
    """Let people annotate running trials: each answer is saved as ``user_attr_key``.

    Raises:
        TypeError: for anything but ``ChoiceWidget``, ``SliderWidget``, ``TextInputWidget``.
        ValueError: for an ``ObjectiveUserAttrRef``, or a missing or repeated ``user_attr_key``.

    Example:
        >>> import optuna
        >>> from jupyterlab_optuna import SliderWidget, register_user_attr_form_widgets
        >>> study = optuna.create_study()
        >>> register_user_attr_form_widgets(
        ...     study, widgets=[SliderWidget(min=1, max=5, user_attr_key="score")]
        ... )
    """
    _check_types(widgets)
    keys: list[str] = []
    for w in widgets:
        if isinstance(w, ObjectiveUserAttrRef):
            raise ValueError("ObjectiveUserAttrRef is for objective forms only.")
        if w.user_attr_key is None:
            raise ValueError("`user_attr_key` is not specified.")
        keys.append(w.user_attr_key)
    if len(set(keys)) != len(keys):
        raise ValueError("`user_attr_key` must be unique for each widget.")
    storage, study_id = study_target(study)
    _store(storage, study_id, "user_attr", widgets)


_WIDGET_TYPES = (ChoiceWidget, SliderWidget, TextInputWidget, ObjectiveUserAttrRef)


def _check_types(widgets: Sequence[Any]) -> None:
    for i, w in enumerate(widgets):
        if not isinstance(w, _WIDGET_TYPES):
            names = ", ".join(t.__name__ for t in _WIDGET_TYPES)
            raise TypeError(f"widgets[{i}] is a {type(w).__name__}; expected one of {names}.")


def _store(storage: Any, study_id: int, output_type: str, widgets: Sequence[Any]) -> None:
    value = {"output_type": output_type, "widgets": [w.to_dict() for w in widgets]}
    storage.set_study_system_attr(study_id, FORM_WIDGETS_KEY, value)


def form_widgets_from_system_attrs(system_attrs: Mapping[str, Any]) -> FormWidgetsJSON | None:
    """The study's registered form, also from optuna-dashboard's older keys."""
    if FORM_WIDGETS_KEY in system_attrs:
        stored = system_attrs[FORM_WIDGETS_KEY]
        return {"output_type": stored["output_type"], "widgets": list(stored["widgets"])}
    if LEGACY_FORM_WIDGETS_V1_KEY in system_attrs:
        widgets = list(system_attrs[LEGACY_FORM_WIDGETS_V1_KEY])
        return {"output_type": "objective", "widgets": widgets}
    if LEGACY_FORM_WIDGETS_KEY in system_attrs:
        widgets = json.loads(system_attrs[LEGACY_FORM_WIDGETS_KEY])
        return {"output_type": "objective", "widgets": widgets}
    return None
