"""The pack importer's two guards that keep files inside the library, each pinned alone.

The first guard checks each name in the archive when the pack is read (no absolute paths,
no `..`, no links, only lesson files). The second checks, at write time, where the path
actually resolves (`_write_lesson`): it still holds when a name that passed the first guard
meets a symlinked folder in the destination, or when a plan was built by hand rather than
read from a pack.
"""

import json
import zipfile
from pathlib import Path

import pytest

from hafiza.lessonlib import packs

LESSON_YAML = b"id: evil\norder: 1\ntitle:\n  en: Pack lesson\n"
FIGURE = (Path(__file__).resolve().parents[1] / "fixtures" / "lessons" / "lstm-gates" / "figures"
          / "gates.png")


def everything_under(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def test_a_name_through_a_symlinked_folder_is_not_written_outside(tmp_path):
    pack = tmp_path / "figure.hafiza"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr(packs.MANIFEST, json.dumps({"format": 1, "lessons": ["evil"]}))
        archive.writestr("evil/lesson.yaml", LESSON_YAML)
        archive.writestr("evil/en.md", "# T\n\n![plot](figures/plot.png)\n")
        archive.writestr("evil/figures/plot.png", FIGURE.read_bytes())
    # the names are fine: the first guard (and the whole checker) lets the pack through...
    (lesson,) = packs.read_pack(pack, tmp_path / "library").lessons
    assert sorted(lesson.files) == ["en.md", "figures/plot.png", "lesson.yaml"]
    # ...but where the lesson is written, figures/ is a link to a folder outside
    outside = tmp_path / "outside"
    outside.mkdir()
    lesson_folder = tmp_path / "library" / ".incoming" / "evil"
    lesson_folder.mkdir(parents=True)
    (lesson_folder / "figures").symlink_to(outside, target_is_directory=True)
    with pytest.raises(packs.PackError, match="outside the lesson"):
        packs._write_lesson(lesson_folder, lesson)  # the second guard, where it lives
    assert everything_under(outside) == []


@pytest.mark.parametrize("inner", ["../../../escaped.md", "../../escaped.md",
                                   "figures/../../../../escaped.png"])
def test_a_hand_made_plan_cannot_write_outside_the_library(tmp_path, inner):
    library = tmp_path / "sandbox" / "library"
    library.mkdir(parents=True)
    (library / "kept").mkdir()
    lesson = packs.PackLesson("evil", {"en": "Evil"},
                              {"lesson.yaml": LESSON_YAML, inner: b"escaped"})
    plan = packs.ImportPlan(tmp_path / "none.hafiza", library, [lesson])
    with pytest.raises(packs.PackError, match="outside the lesson"):
        packs.install(plan)
    assert everything_under(tmp_path) == ["sandbox", "sandbox/library", "sandbox/library/kept"]
