"""Translators' tool: extract, update and compile the interface catalogs with Babel.

    python -m hafiza.ui.catalogs extract   # ui/ and main.py -> locales/hafiza.pot
    python -m hafiza.ui.catalogs update    # extract, merge into locales/<tag>/LC_MESSAGES/hafiza.po
    python -m hafiza.ui.catalogs compile   # .po -> .mo (the app reads the .mo files)
    python -m hafiza.ui.catalogs check     # exit 1 if a .mo is out of step with its .po
    python -m hafiza.ui.catalogs merge FILE.yaml   # update, fill translations from FILE, compile

It wraps the same steps as `pybabel extract/update/compile` (see docs/translating.md) and
adds two things pybabel cannot do: it knows the `ary`/`arz` catalogs (Babel has no such
locales) and it writes the correct Arabic `Plural-Forms` header, which Babel gets wrong
(python-babel issue 816: 11 gets the "other" form and 100 the "many" form). Which catalogs
exist, their Babel locales and plural rules are rows of `hafiza.varieties`; `update` creates
the catalog of a variety that has none yet.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from hafiza import varieties

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "locales"
DOMAIN = "hafiza"
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}

# Interface catalogs: variety tag -> (Babel locale for the catalog, correct Plural-Forms),
# read from the varieties' table. English is the source language and needs no catalog.
CATALOGS = {
    tag: (varieties.get(tag).locale, varieties.get(tag).plural_forms)
    for tag in varieties.CATALOG_TAGS
}


def po_path(tag: str) -> Path:
    return LOCALES_DIR / tag / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(tag: str) -> Path:
    return po_path(tag).with_suffix(".mo")


def extract() -> Catalog:
    template = Catalog(project="Hafiza", charset="utf-8")
    # The interface, and the lesson checker and the engine's exercise checks, which speak
    # the instructor's language through hafiza.words.
    method_map = [("ui/**.py", "python"), ("hafiza/__main__.py", "python"),
                  ("lessonlib/**.py", "python"), ("engine/exercise_problems.py", "python"),
                  ("engine/dry_run.py", "python"),
                  # the engine's own refusals, which reach the checker and the learner
                  *((f"engine/{name}.py", "python") for name in (
                      "layers", "models", "exercises", "refusals", "budget", "batches",
                      "train")),
                  ("engine/data/*.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        if filename.startswith(".venv"):
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    with TEMPLATE.open("wb") as file:
        write_po(file, template, width=100, omit_header=False)
    return template


def _with_plural_header(catalog: Catalog, plural_forms: str) -> None:
    catalog.mime_headers = [("Plural-Forms", plural_forms)]


def update() -> None:
    template = extract()
    for tag, (locale, plural_forms) in CATALOGS.items():
        path = po_path(tag)
        if path.exists():
            with path.open("rb") as file:
                catalog = read_po(file, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="Hafiza", charset="utf-8")
            path.parent.mkdir(parents=True, exist_ok=True)
        catalog.update(template, update_header_comment=False)
        _with_plural_header(catalog, plural_forms)
        with path.open("wb") as file:
            write_po(file, catalog, width=100, ignore_obsolete=True)


def _compiled(tag: str) -> bytes:
    locale, plural_forms = CATALOGS[tag]
    with po_path(tag).open("rb") as file:
        catalog = read_po(file, locale=locale)
    _with_plural_header(catalog, plural_forms)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for tag in CATALOGS:
        mo_path(tag).write_bytes(_compiled(tag))


def _translations(mo_bytes: bytes) -> dict:
    catalog = read_mo(io.BytesIO(mo_bytes))
    return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog}


def stale_catalogs() -> list[str]:
    """Tags whose .mo does not hold exactly the translations of their .po."""
    stale = []
    for tag in CATALOGS:
        path = mo_path(tag)
        if not path.exists() or _translations(path.read_bytes()) != _translations(_compiled(tag)):
            stale.append(tag)
    return stale


def merge(path: Path) -> int:
    """Adds translations written as YAML: `msgid: {ary: ..., arz: ..., ar: ..., fa: ...}`,
    a list of forms per variety for plural messages (keyed by the singular msgid).
    Runs update and compile around it under a lock, so several writers don't clash.
    Returns the number of messages filled."""
    import yaml
    from filelock import FileLock  # fcntl would tie this tool to Unix

    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    LOCALES_DIR.mkdir(exist_ok=True)
    with FileLock(LOCALES_DIR / ".lock"):
        update()
        filled = 0
        for tag, (locale, plural_forms) in CATALOGS.items():
            with po_path(tag).open("rb") as file:
                catalog = read_po(file, locale=locale)
            for message in catalog:
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                if not msgid or msgid not in entries or tag not in entries[msgid]:
                    continue
                value = entries[msgid][tag]
                message.string = tuple(value) if isinstance(message.id, tuple) else value
                message.flags.discard("fuzzy")
                filled += 1
            _with_plural_header(catalog, plural_forms)
            catalog.fuzzy = False
            with po_path(tag).open("wb") as file:
                write_po(file, catalog, width=100, ignore_obsolete=True)
        compile_all()
    return filled


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "merge" and len(argv) == 2:
        print(f"filled {merge(Path(argv[1]))} translations")
    elif command == "check":
        stale = stale_catalogs()
        if stale:
            print("out of step, run `python -m hafiza.ui.catalogs compile`: " + ", ".join(stale))
            return 1
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
