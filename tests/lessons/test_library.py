"""The lesson library: installs that were cut short are swept, a pack replacing a built-in
lesson needs --replace, `lessons remove` brings the built-in lesson back, `lessons list`
says where each lesson comes from; and a zip entry whose UTF-8 name is not UTF-8 is refused."""

import json
import struct
import zipfile

import pytest

from hafiza.lessonlib import cli, library, packs
from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR, read_outline
from hafiza.safezip import UnsafeArchive, open_zip_checked

BUILTIN_ID = "neurons-activations"
HEX = "0123456789abcdef" * 2
LESSON_YAML = "id: {id}\norder: 1\ntitle:\n  en: {title}\n"


def make_lesson(folder, lesson_id, title="Mine"):
    folder.mkdir(parents=True)
    (folder / "lesson.yaml").write_text(LESSON_YAML.format(id=lesson_id, title=title))
    (folder / "en.md").write_text("# T\n\nText.\n")
    return folder


def test_sweep_removes_staging_and_puts_back_a_lesson_left_aside(tmp_path):
    lib = tmp_path / "library"
    make_lesson(lib / "kept", "kept")
    make_lesson(lib / f"{library.STAGING_PREFIX}{HEX}" / "new", "new")
    make_lesson(lib / f"{library.REMOVED_PREFIX}{HEX}", "gone")
    make_lesson(lib / f".incoming-{HEX}" / "old-style", "old-style")
    # killed between moving the old lesson aside and renaming the new one in:
    make_lesson(lib / f"{library.ASIDE_PREFIX}{HEX}-lost", "lost", "Original")
    # killed after the new one was in place, before the old one was deleted:
    make_lesson(lib / "kept2", "kept2", "New")
    make_lesson(lib / f".old-kept2-{HEX}", "kept2", "Old")
    assert library.sweep_staging(lib) == 5
    assert sorted(p.name for p in lib.iterdir()) == ["kept", "kept2", "lost"]
    assert "Original" in (lib / "lost" / "lesson.yaml").read_text()
    assert "New" in (lib / "kept2" / "lesson.yaml").read_text()
    assert library.sweep_staging(lib) == 0
    assert packs.sweep_staging is library.sweep_staging  # where the app calls it


def test_sweep_deletes_a_link_never_what_it_points_to(tmp_path):
    lib, outside = tmp_path / "library", tmp_path / "outside"
    lib.mkdir()
    make_lesson(outside, "outside")
    (lib / f"{library.STAGING_PREFIX}{HEX}").symlink_to(outside, target_is_directory=True)
    assert library.sweep_staging(lib) == 1
    assert (outside / "lesson.yaml").is_file() and list(lib.iterdir()) == []


def test_leftovers_are_never_shown_as_lessons(tmp_path):
    lib = tmp_path / "library"
    make_lesson(lib / f"{library.ASIDE_PREFIX}{HEX}-ghost", "ghost")
    assert read_outline(lib).lessons == []


def test_an_install_that_fails_midway_leaves_no_staging(tmp_path, monkeypatch):
    lib = tmp_path / "library"
    plan = packs.ImportPlan(tmp_path / "p.hafiza", lib, [
        packs.PackLesson("a", {"en": "A"}, {"lesson.yaml": b"id: a\n"}),
        packs.PackLesson("b", {"en": "B"}, {"lesson.yaml": b"id: b\n"})])

    def fail(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(packs, "put_in_place", fail)
    with pytest.raises(OSError):
        packs.install(plan)
    assert list(lib.iterdir()) == []


def _flag_local_name_as_utf8(path, good, bad):
    data = bytearray(path.read_bytes())
    at = data.find(good)  # the first copy of the name is in the member's own header
    data[at:at + len(good)] = bad
    header = data.rfind(b"PK\x03\x04", 0, at)
    flags = struct.unpack_from("<H", data, header + 6)[0]
    struct.pack_into("<H", data, header + 6, flags | 0x800)
    path.write_bytes(bytes(data))


def test_a_member_flagged_utf8_with_a_name_that_is_not_is_refused(tmp_path):
    pack = tmp_path / "bad-name.hafiza"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr(packs.MANIFEST, json.dumps({"format": 1, "lessons": ["evil"]}))
        archive.writestr("evil/lesson.yaml", LESSON_YAML.format(id="evil", title="E"))
        archive.writestr("evil/en.md", "# T\n")
    _flag_local_name_as_utf8(pack, b"evil/en.md", b"evil/\xff\xfe.md")
    with open_zip_checked(pack) as archive, pytest.raises(UnsafeArchive, match="UTF-8"):
        archive.read_member("evil/en.md")
    with pytest.raises(packs.PackError, match="UTF-8"):
        packs.read_pack(pack, tmp_path / "library")
    assert not (tmp_path / "library").exists()


@pytest.fixture(scope="module")
def builtin_pack(tmp_path_factory):
    """A pack holding a lesson with a built-in lesson's id (an instructor's own version)."""
    folder = make_lesson(tmp_path_factory.mktemp("src") / BUILTIN_ID, BUILTIN_ID, "My neurons")
    return packs.export_pack([folder], tmp_path_factory.mktemp("out") / "mine.hafiza")


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_replacing_a_builtin_lesson_needs_replace_and_remove_brings_it_back(
        tmp_path, capsys, builtin_pack):
    lib = str(tmp_path / "library")
    code, out, err = run(capsys, "import", str(builtin_pack), "--yes", "--library", lib)
    assert code == 1 and "--replace" in err
    assert f"replace: {BUILTIN_ID} (My neurons) - replaces the built-in lesson" in out
    assert not (tmp_path / "library" / BUILTIN_ID).exists()

    code, out, err = run(capsys, "import", str(builtin_pack), "--yes", "--replace",
                         "--library", lib)
    assert code == 0, err
    code, out, _ = run(capsys, "list", "--library", lib)
    row = next(line for line in out.splitlines() if line.startswith(BUILTIN_ID))
    assert row == f"{BUILTIN_ID}\tinstalled, replacing the built-in lesson\t-\tMy neurons"

    code, out, err = run(capsys, "remove", BUILTIN_ID, "--library", lib)
    assert code == 0 and f"the built-in lesson {BUILTIN_ID} is back" in out
    assert (BUILTIN_LESSONS_DIR / BUILTIN_ID / "lesson.yaml").is_file()  # never touched
    code, out, _ = run(capsys, "list", "--library", lib)
    row = next(line for line in out.splitlines() if line.startswith(BUILTIN_ID))
    assert row.split("\t")[1] == "built-in"


def test_replacing_a_library_lesson_also_says_replace(tmp_path, capsys, builtin_pack):
    lib = tmp_path / "library"
    plan = packs.read_pack(builtin_pack, lib)
    assert [(one.id, one.shadows_builtin, one.in_library) for one in plan.lessons] == \
        [(BUILTIN_ID, True, False)]
    assert plan.replaced_builtin == plan.lessons
    make_lesson(lib / "mine", "mine")
    pack = packs.export_pack([lib / "mine"], tmp_path / "again.hafiza")
    code, out, err = run(capsys, "import", str(pack), "--yes", "--library", str(lib))
    assert code == 1 and "replace: mine (Mine) - replaces the lesson in your library" in out


def test_remove_refuses_builtin_and_unknown_ids(tmp_path, capsys):
    lib = str(tmp_path / "library")
    code, _, err = run(capsys, "remove", BUILTIN_ID, "--library", lib)
    assert code == 1 and "built-in lesson" in err
    code, _, err = run(capsys, "remove", "../etc", "--library", lib)
    assert code == 1 and "not a lesson id" in err
    code, _, err = run(capsys, "remove", "nothing-here", "--library", lib)
    assert code == 1 and "no lesson" in err
