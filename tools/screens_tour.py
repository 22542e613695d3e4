"""The tour the screen atlas takes through a running Hafiza (tools/screens.py): what to open,
in what order, found by asking the app (the outline's lessons, the exercise cards on each
page, each exercise window's tabs, the main window's menu actions), so that a new lesson,
exercise, playground or dialog shows up in the atlas by itself.

`Tour.shoot(name, widget)` is the atlas' camera; everything here only opens and drives."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget
from screens_qt import capture_new_window, settle, wait_until, workers

# Scroll points of each lesson page, as fractions of its length.
SCROLL_POINTS = {"top": 0.0, "third": 1 / 3, "two-thirds": 2 / 3, "bottom": 1.0}
# Main window actions that open nothing (or end the app): never triggered by the tour.
NOT_DIALOGS = {"quit_action", "larger_action", "smaller_action", "reset_size_action",
               "focus_outline_action"}
# How long a run may take to deliver its first batches, and to finish a short training.
FIRST_BATCHES_S = 60
SHORT_RUN_S = 180


class Tour:
    """Drives one Hafiza (ui.app.Hafiza with its main window) through every screen."""

    def __init__(self, hafiza, shoot: Callable[..., None], attempt: Callable[..., None],
                 wants: Callable[[str], bool], size: tuple[int, int], epochs: int,
                 scratch: Path) -> None:
        self.hafiza = hafiza
        self.window = hafiza.window
        self.shoot = shoot  # shoot(name, widget, fit=True): saves the image
        self.attempt = attempt  # attempt(name, fn): runs fn, recording a failure under name
        self.wants = wants  # wants(prefix): the --only pattern may match screens under it
        self.size = size
        self.epochs = epochs  # a short training's epochs
        self.scratch = scratch  # files the tour writes (an exported progress)
        self.import_dialog_shot = False

    def run(self) -> None:
        if self.wants("outline"):
            self.attempt("outline-welcome", self.welcome)
        for entry in self.hafiza.outline.lessons:
            if self.wants(f"lesson-{entry.id}") or self.wants("block-"):
                self.attempt(f"lesson-{entry.id}", lambda e=entry: self.lesson(e))
        if self.wants("exercise-") or self.wants("playground-") or self.wants("dialog-imdb"):
            for entry in self.hafiza.outline.lessons:
                self.attempt(f"exercises-of-{entry.id}", lambda e=entry: self.exercises(e))
        if self.wants("dialog-"):
            self.dialogs()

    # -- the main window ---------------------------------------------------------------------
    def welcome(self) -> None:
        self.window.lesson_page.show_welcome(self.hafiza.outline)
        self.shoot("outline-welcome", self.window)

    def lesson(self, entry) -> None:
        self.window.open_lesson(entry.id)
        page = self.window.lesson_page
        wait_until(lambda: page.loading is None, 30)
        for point, fraction in SCROLL_POINTS.items():
            page.restore_reading_position(fraction)
            settle()
            self.shoot(f"lesson-{entry.id}-{point}", self.window)
        for block in page.content_blocks:  # one image of each kind of block, its first
            self.shoot(f"block-{type(block).__name__}", block, fit=False, once=True)

    # -- exercise windows ----------------------------------------------------------------------
    def exercises(self, entry) -> None:
        from hafiza.ui.blocks.exercise import ExerciseCard

        wanted = [card.exercise_id for card in self._cards(entry.id, ExerciseCard)
                  if self.wants(f"exercise-{card.exercise_id}")
                  or self.wants(f"playground-{card.exercise_id}")
                  or self.wants("dialog-imdb")]
        for exercise_id in wanted:
            # The page may be drawn again meanwhile (a run changes the outline's marks):
            # each card is looked up afresh, never kept.
            [card] = [card for card in self._cards(entry.id, ExerciseCard)
                      if card.exercise_id == exercise_id]
            self.attempt(f"exercise-{exercise_id}", lambda c=card: self.exercise(entry.id, c))

    def _cards(self, lesson_id: str, kind) -> list:
        if self.window.lesson_page.lesson is None or \
                self.window.lesson_page.lesson.id != lesson_id:
            self.window.open_lesson(lesson_id)
        page = self.window.lesson_page
        wait_until(lambda: page.loading is None, 30)
        settle()  # the blocks of an earlier drawing are deleted, not found
        return page.findChildren(kind)

    def exercise(self, lesson_id: str, card) -> None:
        card.train_button.click()  # the learner's way in: the card's own button
        window = self.hafiza.exercise_windows.get((lesson_id, card.exercise_id))
        if window is None:
            raise RuntimeError(f"the card of {card.exercise_id} opened no window")
        try:
            window.resize(*self.size)
            settle()
            name = card.exercise_id
            self.shoot(f"exercise-{name}-before", window)
            panel = window.panel
            if panel is not None and (self.wants(f"exercise-{name}-")
                                      or self.wants(f"playground-{name}-")
                                      or self.wants("dialog-imdb")):
                self.train(name, window, panel)
            self.playgrounds(name, window)
        finally:
            window.close()
            settle()

    def train(self, name: str, window, panel) -> None:
        from hafiza.engine.data import is_imported

        dataset = panel.exercise.get("dataset", {}).get("name", "")
        if not is_imported(dataset):  # Train asks for the data first (IMDB)
            if not self.import_dialog_shot:
                self.import_dialog_shot = True
                capture_new_window(panel.train,
                                   lambda dialog: self.shoot("dialog-imdb-import", dialog))
                self.shoot(f"exercise-{name}-not-imported", window)
            return
        if not (self.wants(f"exercise-{name}-") or self.wants(f"playground-{name}-")):
            return
        self.during(name, window, panel)
        self.after(name, window, panel)

    def during(self, name: str, window, panel) -> None:
        """The exercise as the learner starts it, paused a few deliveries in, then stopped."""
        deliveries = []
        panel.train()
        run = panel.run
        if run is None:
            raise RuntimeError("Train started no run")
        run.batches.connect(lambda batches: deliveries.append(len(batches)))
        wait_until(lambda: len(deliveries) >= 3 or not panel._running(), FIRST_BATCHES_S)
        if panel._running():
            paused = []
            run.paused.connect(lambda _event: paused.append(True))
            panel.toggle_pause()
            wait_until(lambda: bool(paused) or not panel._running(), FIRST_BATCHES_S)
            panel._redraw()
        self.shoot(f"exercise-{name}-during", window)
        panel.stop()
        wait_until(lambda: not panel._running(), FIRST_BATCHES_S)
        self._wait_saved(panel)

    def after(self, name: str, window, panel) -> None:
        """A short training to its end: the plots, the log, the model and the earlier runs."""
        shortened = copy.deepcopy(panel.exercise)
        hyper = shortened.setdefault("hyperparameters", {})
        hyper["epochs"] = min(int(hyper.get("epochs", self.epochs)), self.epochs)
        panel.exercise = shortened
        if "epochs" in panel.controls.editors:
            panel.controls.editors["epochs"][0].setValue(hyper["epochs"])
        finished = []
        panel.run_finished.connect(lambda run: finished.append(run))
        panel.train()
        if not wait_until(lambda: bool(finished), SHORT_RUN_S):
            raise RuntimeError(f"a {hyper['epochs']}-epoch training did not end")
        self._wait_saved(panel)
        settle()
        self.shoot(f"exercise-{name}-after", window)
        for index in range(panel.tabs.count()):
            panel.tabs.setCurrentIndex(index)
            part = type(panel.tabs.widget(index)).__name__.lower()
            self.shoot(f"exercise-{name}-after-{part}", window)
        panel.tabs.setCurrentIndex(0)

    @staticmethod
    def _wait_saved(panel) -> None:
        if panel.recorder is not None:
            wait_until(lambda: not panel.recorder.saving_models, 60)

    def playgrounds(self, name: str, window) -> None:
        offset = window._first_playground_tab()
        for index, playground in enumerate(list(window.playground_names)):
            window.tabs.setCurrentIndex(offset + index)
            widget = window.tabs.widget(offset + index)
            settle()
            if hasattr(widget, "is_busy"):  # its forward pass runs in a worker
                wait_until(lambda w=widget: not w.is_busy(), 60)
            self.shoot(f"playground-{name}-{playground}", window)

    # -- dialogs -------------------------------------------------------------------------------
    def dialogs(self) -> None:
        """Every dialog a menu action of the main window opens (a file chooser is Qt's own and
        left out), then the ones the app opens by itself."""
        first = self.hafiza.outline.lessons[0].id if self.hafiza.outline.lessons else None
        if first:  # "Check this lesson" reports on the open lesson
            self.window.open_lesson(first)
        for attribute, action in sorted(vars(self.window).items()):
            if not isinstance(action, QAction) or attribute in NOT_DIALOGS \
                    or action.isCheckable() or not action.isEnabled():
                continue
            name = "dialog-" + attribute.removesuffix("_action").replace("_", "-")
            if self.wants(name):
                self.attempt(name, lambda a=action, n=name: self._action_dialog(a, n))
        for name, opener in (("dialog-progress-export", self._progress_dialogs),
                             ("dialog-store-problem", self._store_notices),
                             ("dialog-language-first-run", self._first_language),
                             ("dialog-crash", self._crash)):
            if self.wants(name):
                self.attempt(name, opener)

    def _action_dialog(self, action: QAction, name: str) -> None:
        def shoot(dialog: QWidget) -> None:
            if not isinstance(dialog, QFileDialog):  # Qt's own chooser: not ours to check
                self.shoot(name, dialog)

        # Work in a worker (checking a lesson) answers when it ends.
        runners = workers()

        def working() -> bool:
            return any(runner.task_busy for runner in runners)

        capture_new_window(action.trigger, shoot, timeout_s=2,
                           wanted=lambda w: not isinstance(w, QProgressDialog), working=working)
        wait_until(lambda: not working(), 60)

    def _progress_dialogs(self) -> None:
        transfer = self.hafiza._progress_transfer()
        target = self.scratch / "progress.hafiza-progress"

        def message(w: QWidget) -> bool:
            return isinstance(w, QMessageBox)

        capture_new_window(lambda: transfer.export_to(target),
                           lambda box: self.shoot("dialog-progress-exported", box),
                           timeout_s=30, wanted=message)
        capture_new_window(transfer._ask_mode,
                           lambda box: self.shoot("dialog-progress-import-mode", box))
        if target.exists():
            capture_new_window(lambda: transfer.import_from(target, "merge"),
                               lambda box: self.shoot("dialog-progress-imported", box),
                               timeout_s=30, wanted=message)

    def _store_notices(self) -> None:
        from hafiza.store import StoreError, errors
        from hafiza.ui import store_errors

        problem = StoreError(errors.READ_ONLY, "attempt to write a readonly database")
        box = store_errors.show_problem(self.window, problem, True)
        self._shoot_and_close("dialog-store-problem", box)
        moved = self.scratch / "progress.sqlite3.damaged"
        box = store_errors.show_recovered(self.window, moved, None)
        self._shoot_and_close("dialog-store-recovered", box)

    def _first_language(self) -> None:
        from hafiza.ui import i18n
        from hafiza.ui.language_dialog import LanguageDialog

        dialog = LanguageDialog(i18n.current_variety().tag)
        dialog.show()
        self._shoot_and_close("dialog-language-first-run", dialog)

    def _crash(self) -> None:
        from hafiza import logs
        from hafiza.ui.crash import CrashReporter

        reporter = CrashReporter(self.hafiza.app, logs.log_dir() / "hafiza.log")
        box = reporter._make_box("Traceback (most recent call last):\n  ...\nValueError: "
                                 "an example")
        box.show()
        self._shoot_and_close("dialog-crash", box)

    def _shoot_and_close(self, name: str, dialog: QWidget) -> None:
        try:
            settle()
            self.shoot(name, dialog)
        finally:
            if hasattr(dialog, "reject"):
                dialog.reject()
            dialog.close()
            settle(1)
