"""The learner's own texts inside a progress export.

A run that trained on *Use my own text…* names its text by file name only
(`own-text-<hash>.txt`, kept in the `texts` folder beside the models). The export carries
the texts its runs name, as `texts/own-text-<hash>.txt`, so those runs reload their text
on the other computer; this is the only way a learner's text leaves the machine, and the
export dialog says so first (ui.progress_export_dialog), with a choice to leave them out.

An import takes a text only if its name is the one the app gives its content (a SHA-256 of
the UTF-8 bytes): a file cannot arrive under another text's name, a stray or changed file
is refused, and a text already here is the same text and is left as it is.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from hafiza.engine.data.corpora import MAX_CORPUS_BYTES
from hafiza.engine.data.text_files import is_own_text, own_text_name
from hafiza.store import Store, paths

TEXTS_DIR = "texts"
TEXT_MEMBER = re.compile(r"^texts/(own-text-[0-9a-f]{16}\.txt)$")
MAX_TEXT_BYTES = MAX_CORPUS_BYTES  # what *Use my own text…* accepts
# A learner chooses each text by hand; an import with more is not a learner's progress.
MAX_IMPORT_TEXTS = 200
# How much of a text the export dialog shows so the learner recognises it.
BEGINNING_CHARS = 60


class BadText(ValueError):
    """A text in an export that the app did not write: the message names it."""


@dataclass(frozen=True)
class OwnText:
    name: str  # own-text-<hash>.txt
    path: Path  # where it is kept on this computer
    size: int  # bytes
    runs: int  # how many of the exported runs trained on it
    beginning: str  # its first words, whitespace folded

    @property
    def member(self) -> str:
        return f"{TEXTS_DIR}/{self.name}"


def texts_folder(runs) -> Path:
    """Where a store keeps the learner's own texts: beside its models folder (the same folder
    ui.run_history.own_texts_folder gives the exercise window)."""
    return Path(runs.models_folder).parent / TEXTS_DIR


def text_name(settings: dict) -> str | None:
    """The own text a run's settings train on, or None (a lesson's text, Hafez, IMDB...).
    The settings may come from a file made by anyone: any shape is answered, never raised."""
    if not isinstance(settings, dict) or not isinstance(settings.get("dataset"), dict):
        return None
    return str(settings["dataset"]["path"]) if is_own_text(settings) else None


def own_texts(store: Store) -> list[OwnText]:
    """The learner's own texts that an export of `store` would carry: those its runs name
    and that are still on this computer, the most recently used first."""
    folder = texts_folder(store.runs)
    counts: dict[str, int] = {}
    for run in store.runs.list():
        name = text_name(run.settings)
        if name is not None:
            counts[name] = counts.get(name, 0) + 1
    texts = []
    for name, runs in counts.items():
        path = folder / name
        if paths.is_inside(folder, path) and path.is_file():
            texts.append(OwnText(name, path, path.stat().st_size, runs, _beginning(path)))
    return texts


def _beginning(path: Path) -> str:
    """The text's first whole words, at most BEGINNING_CHARS, with "…" when it goes on."""
    with path.open("rb") as file:
        head = file.read(BEGINNING_CHARS * 4 + 1)  # UTF-8: at most 4 bytes a character
    words = head.decode("utf-8", errors="ignore").split()
    shown = ""
    for word in words:
        if len(shown) + len(word) + 1 > BEGINNING_CHARS:
            return (shown or word[:BEGINNING_CHARS]) + "…"
        shown = f"{shown} {word}" if shown else word
    return shown + ("…" if len(head) > BEGINNING_CHARS * 4 else "")


def wanted_texts(runs: list[dict]) -> set[str]:
    """The text names the runs of a validated progress.json train on."""
    return {name for run in runs if (name := text_name(run["settings"])) is not None}


def check_text(member: str, body: bytes) -> str:
    """The file name of text member `member` whose bytes are `body`, after making sure it is
    a text the app wrote: UTF-8 without NUL bytes, named by its own content."""
    match = TEXT_MEMBER.match(member)
    if match is None:
        raise BadText(f"{member}: not a text's name")
    name = match.group(1)
    if b"\x00" in body:
        raise BadText(f"{member}: not text")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadText(f"{member}: not UTF-8") from None
    if own_text_name(text) != name:
        raise BadText(f"{member}: its content does not match its name")
    return name


def place_text(staged: Path, folder: Path, name: str) -> Path | None:
    """Copies a checked text into the texts folder under `name`; returns the new file, or
    None when the text is already here (same name, same content)."""
    target = folder / name
    if not paths.is_inside(folder, target):
        raise BadText(f"{name}: outside the texts folder")
    if target.is_file():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")  # a half-written copy never has the name
    shutil.copyfile(staged, partial)
    partial.replace(target)
    return target
