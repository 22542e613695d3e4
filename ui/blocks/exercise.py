"""Exercise cards: what the learner will train (task, data, model, goal) and a Train button.

The card does not train: its button emits `exercise_requested(lesson_id, exercise_id)` and
the application opens the exercise panel.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from hafiza.lessonlib.model import fallback_chain
from hafiza.ui.blocks.admonition import Callout
from hafiza.ui.blocks.text import RichText
from hafiza.ui.i18n import N_, _, current_variety, isolate, number

TASKS = {
    "binary": N_("binary classification"),
    "multiclass": N_("classification"),
    "regression": N_("regression"),
    "language_model": N_("language model"),
    "tagging": N_("tagging each step of a sequence"),
}
METRICS = {
    "val_accuracy": N_("validation accuracy"),
    "accuracy": N_("accuracy"),
    "val_loss": N_("validation loss"),
    "loss": N_("loss"),
    "val_perplexity": N_("validation perplexity"),
    "perplexity": N_("perplexity"),
}
# The data sets (engine.data.DATASETS and the text corpora) as a learner calls them.
DATASETS = {
    "linear": N_("points a straight line can separate"),
    "xor": N_("the XOR points"),
    "circles": N_("two circles of points"),
    "spirals": N_("two spirals of points"),
    "seq003": N_("the number sequence of the Keras practical"),
    "long_dependency": N_("sequences whose class depends on their first steps"),
    "sine": N_("a sine wave"),
    "noisy_sum": N_("sums of noisy numbers"),
    "imdb": N_("IMDB movie reviews"),
    "lessons": N_("the text of the lessons"),
    "hafez": N_("poems of Hafez"),
    "text_file": N_("a text file"),
}
OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def dataset_name(name: str) -> str:
    """A data set's name in the learner's words; an unknown one as it is, isolated."""
    return _(DATASETS[name]) if name in DATASETS else isolate(name)


def exercise_title(exercise: dict, variety: str) -> str:
    """The lesson's title for the exercise in `variety` (or the nearest variety that has
    one); without one, the playground's name, or what it trains on what ("binary
    classification on the XOR points"), never its id."""
    title = exercise.get("title")
    if isinstance(title, dict):
        for tag in fallback_chain(variety):
            if title.get(tag):
                return str(title[tag])
    playground = exercise.get("playground")
    if isinstance(playground, str):
        from hafiza.ui import playgrounds

        if playground in playgrounds.PLAYGROUNDS:
            return playgrounds.title(playground)
    task, dataset = exercise.get("task"), exercise.get("dataset")
    data = dataset.get("name") if isinstance(dataset, dict) else None
    if isinstance(task, str) and task in TASKS and isinstance(data, str) and data:
        return _("{task} on {data}").format(task=_(TASKS[task]), data=dataset_name(data))
    return str(exercise.get("id", ""))


def goal_text(goal) -> str:
    if not isinstance(goal, dict) or not isinstance(goal.get("op"), str) \
            or goal["op"] not in OPS:
        return ""
    metric = str(goal.get("metric", ""))
    name = _(METRICS[metric]) if metric in METRICS else isolate(metric)
    value = goal.get("value")
    shown = "?"
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and abs(value) < 1e300 and math.isfinite(value):
        shown = number(float(value))
    # The comparison and the number stay together, left to right: "≥ 0.85".
    return _("Goal: {metric} {comparison}").format(
        metric=name, comparison=isolate(f"{OPS[goal['op']]} {shown}"))


class ExerciseCard(Callout):
    exercise_requested = Signal(str, str)

    def __init__(self, lesson_id: str, exercise_id: str, exercise: dict | None, direction,
                 parent=None) -> None:
        # The data is lesson.yaml's, which a library lesson may bring unchecked: anything that
        # is not the expected kind is left out of the card rather than trusted.
        if not isinstance(exercise, dict) or not exercise:
            exercise = {"id": exercise_id}
        variety = current_variety().tag
        super().__init__("exercise", _("Exercise: {title}").format(
            title=exercise_title(exercise, variety)), direction, parent)
        self.lesson_id, self.exercise_id, self.exercise = lesson_id, exercise_id, exercise
        lines = []
        task = str(exercise.get("task", ""))
        if task:
            lines.append(_("Task: {task}").format(
                task=_(TASKS[task]) if task in TASKS else isolate(task)))
        dataset = exercise.get("dataset")
        if isinstance(dataset, dict) and dataset.get("name"):
            lines.append(_("Data: {name}").format(name=dataset_name(str(dataset["name"]))))
        goal = goal_text(exercise.get("goal"))
        if goal:
            lines.append(goal)
        controls = exercise.get("controls")
        if isinstance(controls, list) and controls:
            # The form's own labels; the form (and the engine's layer parser under it) loads
            # with the first lesson that has an exercise, not at start-up.
            from hafiza.ui.controls_form import control_label

            lines.append(_("You can change: {settings}").format(
                settings=_(", ").join(control_label(exercise, str(c)) for c in controls)))
        self.summary = RichText("<br>".join(html.escape(line) for line in lines), direction,
                                role="exercise-summary")
        self.body.addWidget(self.summary)
        model = exercise.get("model")
        model = model if isinstance(model, list) else []
        self.model = QLabel("\n".join(str(layer) for layer in model))
        self.model.setObjectName("exercise-model")
        self.model.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # code stays LTR
        self.model.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.model.setStyleSheet("border: none; font-family: monospace")
        self.model.setTextFormat(Qt.TextFormat.PlainText)
        self.model.setAccessibleName(_("Model layers"))
        if model:
            self.body.addWidget(self.model)
        row = QHBoxLayout()
        label = _("Open the playground") if "playground" in exercise else _("Train this model")
        self.train_button = QPushButton(label)
        self.train_button.setObjectName("exercise-train")
        self.train_button.clicked.connect(self._request)
        row.addWidget(self.train_button)
        row.addStretch(1)
        self.body.addLayout(row)

    def _request(self) -> None:
        self.exercise_requested.emit(self.lesson_id, self.exercise_id)
