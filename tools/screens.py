"""The screen atlas: every screen of Hafiza as a PNG, per variety, theme and window size.

    python tools/screens.py OUT_DIR [--lang fa en ...] [--theme light dark] [--size 1024x700 ...]
                            [--only 'lesson-*'] [--epochs 3] [--check-fit]

One QApplication (offscreen unless QT_QPA_PLATFORM says otherwise, e.g. xcb under Xvfb) drives
the app's real objects (ui.app.Hafiza, its MainWindow, each ExerciseWindow) on a temporary
HAFIZA_HOME, so nothing touches the learner's own data. What it opens is found by asking the
app (tools/screens_tour.py): the outline's lessons, at four scroll points each; one image of
each kind of block; each exercise card's window before, during (paused, then stopped) and
after a short training, with its tabs and playgrounds; every dialog the menus open, and the
notices the app raises by itself.

Images are named `<screen>__<variety>__<theme>__<W>x<H>.png`; OUT_DIR/index.html shows them
as a table, a screen a row, and OUT_DIR/atlas.json lists them with the failures. A screen that
raises is recorded and the others still saved; with --check-fit, each widget a WxH screen
would cut off (outside its window and not in a scroll area) is a failure too. The last line
is `atlas: N screens, M images, K failures`; the exit status is 1 when K > 0.
docs/screens.md says when to run it.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # screens_qt, screens_tour
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

THEMES = ("light", "dark")
DEFAULT_SIZE = (1024, 700)
# A short training's epochs (the "after" images); the test uses 1.
DEFAULT_EPOCHS = 3
THUMBNAIL_WIDTH = 240


@dataclass(frozen=True)
class Setting:
    """One column of the atlas: a variety, a theme and a window size."""

    lang: str
    theme: str
    size: tuple[int, int]

    @property
    def suffix(self) -> str:
        width, height = self.size
        return f"{self.lang}__{self.theme}__{width}x{height}"


@dataclass
class Atlas:
    out: Path
    only: str | None = None
    check_fit: bool = False
    verbose: bool = False
    images: dict[str, dict[Setting, str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    misfits: list[str] = field(default_factory=list)

    def wants(self, prefix: str) -> bool:
        """Whether --only may match a screen whose name starts with `prefix`: the pattern's
        literal start and the prefix agree as far as both go."""
        if self.only is None:
            return True
        literal = self.only.split("*", 1)[0].split("?", 1)[0].split("[", 1)[0]
        return literal.startswith(prefix) or prefix.startswith(literal)

    def wanted(self, name: str) -> bool:
        return self.only is None or fnmatch(name, self.only)

    def camera(self, setting: Setting) -> Callable[..., None]:
        from screens_qt import is_blank, misfits, settle

        def shoot(name: str, widget, fit: bool = True, once: bool = False) -> None:
            if not self.wanted(name) or (once and setting in self.images.get(name, {})):
                return
            settle()
            image = widget.grab().toImage()
            file_name = f"{name}__{setting.suffix}.png"
            if not image.save(str(self.out / file_name)):
                raise OSError(f"could not write {file_name}")
            self.images.setdefault(name, {})[setting] = file_name
            if is_blank(image):
                self.failures.append(f"{name} [{setting.suffix}]: the image is one colour")
            if fit:
                for problem in misfits(widget, *setting.size):
                    self.misfits.append(f"{name} [{setting.suffix}]: {problem}")

        return shoot

    def attempter(self, setting: Setting) -> Callable[[str, Callable[[], None]], None]:
        def attempt(name: str, fn: Callable[[], None]) -> None:
            started = time.monotonic()
            try:
                fn()
            except Exception as error:  # recorded; the other screens are still taken
                where = traceback.extract_tb(error.__traceback__)[-1]
                self.failures.append(f"{name} [{setting.suffix}]: {type(error).__name__}: "
                                     f"{error} ({Path(where.filename).name}:{where.lineno})")
                traceback.print_exc()
            if self.verbose:
                print(f"  {name}: {time.monotonic() - started:.1f} s", flush=True)

        return attempt

    @property
    def problems(self) -> list[str]:
        return self.failures + (self.misfits if self.check_fit else [])

    def summary(self) -> str:
        count = sum(len(columns) for columns in self.images.values())
        return (f"atlas: {len(self.images)} screens, {count} images, "
                f"{len(self.problems)} failures")


def take(atlas: Atlas, setting: Setting, epochs: int) -> None:
    """Every screen for one setting, on a fresh data folder of its own."""
    from PySide6.QtWidgets import QApplication
    from screens_qt import settle, wait_until
    from screens_tour import Tour

    from hafiza.ui import i18n, theme
    from hafiza.ui.app import Hafiza
    from hafiza.ui.settings import Settings

    app = QApplication.instance()
    with tempfile.TemporaryDirectory(prefix="hafiza-atlas-") as home:
        os.environ["HAFIZA_HOME"] = home
        settings = Settings()
        settings.theme = setting.theme  # started in the theme, as `main.py --theme` does
        settings.language = setting.lang
        hafiza = Hafiza(app, settings)
        try:
            window = hafiza.create_window(setting.lang)
            window.resize(*setting.size)
            window.show()
            hafiza.engine.start()
            wait_until(lambda: hafiza.engine.state != "loading", 120)
            settle()
            tour = Tour(hafiza, atlas.camera(setting), atlas.attempter(setting), atlas.wants,
                        setting.size, epochs, Path(home))
            tour.run()
        finally:
            hafiza.shutdown()
            for exercise_window in hafiza.exercise_windows.values():
                exercise_window.close()
            if hafiza.window is not None:
                hafiza.window.close()
                hafiza.window.deleteLater()
            hafiza.store.close()
            i18n.apply_language(app, "en")
            theme.apply_theme(app, "light")
            hafiza.deleteLater()
            settle()


def write_index(atlas: Atlas, settings: list[Setting]) -> Path:
    """OUT_DIR/index.html: a row per screen, a thumbnail per variety, theme and size."""
    head = "".join(f"<th>{html.escape(s.suffix.replace('__', ' '))}</th>" for s in settings)
    rows = []
    for name in sorted(atlas.images):
        cells = []
        for setting in settings:
            file_name = atlas.images[name].get(setting)
            cells.append(f'<td><a href="{file_name}"><img src="{file_name}" loading="lazy" '
                         f'width="{THUMBNAIL_WIDTH}"></a></td>' if file_name else "<td></td>")
        rows.append(f"<tr><th>{html.escape(name)}</th>{''.join(cells)}</tr>")
    problems = "".join(f"<li>{html.escape(line)}</li>" for line in atlas.problems + (
        [] if atlas.check_fit else [f"(fit) {line}" for line in atlas.misfits]))
    page = (f"<!doctype html><meta charset=utf-8><title>Hafiza screen atlas</title>"
            f"<style>td,th{{vertical-align:top;border:1px solid #ccc;padding:4px}}"
            f"table{{border-collapse:collapse}}</style><h1>{html.escape(atlas.summary())}</h1>"
            f"<ul>{problems}</ul><table><tr><th>screen</th>{head}</tr>{''.join(rows)}</table>")
    path = atlas.out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def write_report(atlas: Atlas) -> Path:
    """OUT_DIR/atlas.json, for tests and scripts: the images of each screen, the failures,
    and the widgets that do not fit (failures only with --check-fit)."""
    report = {"summary": atlas.summary(),
              "images": {name: sorted(columns.values()) for name, columns in atlas.images.items()},
              "failures": atlas.failures, "misfits": atlas.misfits}
    path = atlas.out / "atlas.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    from hafiza import varieties
    from hafiza.__main__ import _size

    parser = argparse.ArgumentParser(prog="screens", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.add_argument("--lang", nargs="+", choices=varieties.TAGS, default=list(varieties.TAGS))
    parser.add_argument("--theme", nargs="+", choices=THEMES, default=list(THEMES))
    parser.add_argument("--size", nargs="+", type=_size, default=[DEFAULT_SIZE], metavar="WxH")
    parser.add_argument("--only", metavar="PATTERN",
                        help="only the screens whose name matches this glob, e.g. 'dialog-*'")
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS,
                        help="epochs of the short training shown after (default %(default)s)")
    parser.add_argument("--verbose", action="store_true", help="the seconds each screen took")
    parser.add_argument("--check-fit", action="store_true",
                        help="count widgets a WxH screen cuts off as failures")
    return parser.parse_args(argv)


def quiet_offscreen_warnings() -> None:
    """The offscreen plugin warns at every window it cannot raise or size by hints: noise
    that would bury the atlas' own lines. Every other message goes on to stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind, _context, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    from hafiza.engine import runtime
    from hafiza.ui.app import make_application

    runtime.limit_malloc_arenas()  # as ui.app.run does, before any thread allocates
    quiet_offscreen_warnings()
    make_application(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    atlas = Atlas(args.out, only=args.only, check_fit=args.check_fit, verbose=args.verbose)
    settings = [Setting(lang, theme, size) for lang in args.lang for theme in args.theme
                for size in args.size]
    for setting in settings:
        print(f"screens: {setting.suffix}", flush=True)
        take(atlas, setting, max(1, args.epochs))
    index = write_index(atlas, settings)
    write_report(atlas)
    for line in atlas.problems:
        print(f"FAILED {line}")
    if not atlas.check_fit and atlas.misfits:
        print(f"({len(atlas.misfits)} widgets do not fit their screen: --check-fit lists "
              f"them as failures; {index.name} shows them)")
    print(atlas.summary(), flush=True)
    return 1 if atlas.problems else 0


if __name__ == "__main__":
    sys.exit(main())
