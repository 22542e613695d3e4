"""Packs: export and import round trip, and a corpus of hostile packs that are refused with a
clear message while nothing is written outside (or inside) the lesson library."""

import json
import stat
import zipfile
from pathlib import Path

import pytest

from hafiza.lessonlib import packs

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "lessons" / "lstm-gates"
LESSON_YAML = "id: {id}\norder: 1\ntitle:\n  en: Pack lesson\n  fa: درس بسته\n"
MANIFEST = packs.MANIFEST


def snapshot(root: Path) -> set:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def sandbox(tmp_path):
    """A library inside a sandbox folder; the test checks the whole sandbox afterwards."""
    library = tmp_path / "sandbox" / "library"
    library.mkdir(parents=True)
    return tmp_path / "sandbox", library


def write_pack(path: Path, members: dict, manifest_ids=("evil",)) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as pack:
        if manifest_ids is not None:
            pack.writestr(MANIFEST, json.dumps({"format": 1, "lessons": list(manifest_ids)}))
        for name, data in members.items():
            if isinstance(data, zipfile.ZipInfo):
                pack.writestr(data, b"x")
            else:
                pack.writestr(name, data)
    return path


def base(extra=None, lesson_id="evil", md="# T\n\nText.\n"):
    members = {f"{lesson_id}/lesson.yaml": LESSON_YAML.format(id=lesson_id),
               f"{lesson_id}/en.md": md}
    members.update(extra or {})
    return members


def test_export_then_import_round_trip(tmp_path, sandbox):
    root, library = sandbox
    out = packs.export_pack([DEMO], tmp_path / "demo.hafiza")
    with zipfile.ZipFile(out) as pack:
        names = set(pack.namelist())
    assert {"hafiza-pack.json", "lstm-gates/lesson.yaml", "lstm-gates/fa.md",
            "lstm-gates/figures/gates.png"} <= names
    plan = packs.read_pack(out, library)
    assert [(lesson.id, lesson.replaces) for lesson in plan.lessons] == [("lstm-gates", False)]
    assert snapshot(root) == {"library"}  # reading the pack wrote nothing
    assert packs.install(plan) == ["lstm-gates"]
    assert (library / "lstm-gates" / "figures" / "gates.png").read_bytes() == \
        (DEMO / "figures" / "gates.png").read_bytes()
    again = packs.read_pack(out, library)
    assert again.lessons[0].replaces  # the second import says it replaces
    packs.install(again)
    # no leftovers: only the replaced lesson, kept so that `lessons remove` can restore it
    assert not [p for p in library.iterdir()
                if p.name.startswith(".") and not p.name.startswith(".hafiza-backup-")]


def zip_info(name, mode):
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


HOSTILE = {
    "zip-slip": (lambda: base({"evil/../../escaped.md": "# x\n"}), "leaving its folder"),
    "zip-slip-top": (lambda: base({"../escaped.yaml": "x"}), "leaving its folder"),
    "absolute": (lambda: base({"/tmp/hafiza-evil.md": "x"}), "absolute path"),
    "backslash": (lambda: base({"evil\\..\\..\\x.md": "x"}), "unsafe file name"),
    "symlink": (lambda: base({"evil/figures/link.png":
                              zip_info("evil/figures/link.png", stat.S_IFLNK | 0o777)}),
                "symbolic link"),
    "executable": (lambda: base({"evil/setup.py": "import os\n"}), "may not have"),
    "bad-yaml": (lambda: {"evil/lesson.yaml": "id: evil\ntitle: [\n", "evil/en.md": "# T\n"},
                 "not valid YAML"),
    "yaml-alias-bomb": (lambda: {"evil/lesson.yaml": "a: &a [x, x]\nb: &b [*a, *a]\n"
                                 "id: evil\n", "evil/en.md": "# T\n"}, "aliases"),
    "yaml-python-tag": (lambda: {"evil/lesson.yaml":
                                 "id: evil\nx: !!python/object/apply:os.system [echo hi]\n",
                                 "evil/en.md": "# T\n"}, "not valid YAML"),
    "script": (lambda: base(md="# T\n\n<script>alert('x')</script>\n"), "raw HTML"),
    "file-link": (lambda: base(md="# T\n\n[secret](file:///etc/passwd)\n"), "not allowed"),
    "wrong-id": (lambda: {"evil/lesson.yaml": LESSON_YAML.format(id="other"),
                          "evil/en.md": "# T\n"}, "must say id: evil"),
    "no-manifest": (lambda: base(), "hafiza-pack.json is missing"),
    "schema": (lambda: {"evil/lesson.yaml": "id: evil\norder: -5\ntitle: {en: T}\n",
                        "evil/en.md": "# T\n\nx\n"}, "order"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_packs_are_refused_and_nothing_is_written(tmp_path, sandbox, name):
    root, library = sandbox
    members, words = HOSTILE[name]
    pack = write_pack(tmp_path / f"{name}.hafiza", members(),
                      None if name == "no-manifest" else ("evil",))
    before = snapshot(tmp_path)
    with pytest.raises(packs.PackError) as refused:
        packs.import_pack(pack, library)
    assert words in str(refused.value)
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/hafiza-evil.md").exists()


def test_zip_bomb_is_refused_while_decompressing(tmp_path, sandbox, monkeypatch):
    root, library = sandbox
    monkeypatch.setattr(packs, "MAX_FILE_BYTES", 1024 * 1024)
    pack = write_pack(tmp_path / "bomb.hafiza",
                      base({"evil/figures/bomb.png": b"\0" * (20 * 1024 * 1024)}))
    assert pack.stat().st_size < 100_000  # 20 MB of zeros compress to a few KB
    with zipfile.ZipFile(pack) as z:
        assert z.getinfo("evil/figures/bomb.png").file_size == 20 * 1024 * 1024
    with pytest.raises(packs.PackError, match="larger than|unpacks to more"):
        packs.import_pack(pack, library)
    assert snapshot(root) == {"library"}


def test_total_size_limit(tmp_path, sandbox, monkeypatch):
    root, library = sandbox
    monkeypatch.setattr(packs, "MAX_TOTAL_BYTES", 2 * 1024 * 1024)
    extra = {f"evil/figures/f{i}.png": b"\0" * (900 * 1024) for i in range(4)}
    pack = write_pack(tmp_path / "big.hafiza", base(extra))
    with pytest.raises(packs.PackError, match="unpacks to more than"):
        packs.import_pack(pack, library)
    assert snapshot(root) == {"library"}


def test_ten_thousand_files_are_refused(tmp_path, sandbox):
    root, library = sandbox
    pack = tmp_path / "many.hafiza"
    with zipfile.ZipFile(pack, "w") as z:
        z.writestr(MANIFEST, json.dumps({"format": 1, "lessons": ["evil"]}))
        z.writestr("evil/lesson.yaml", LESSON_YAML.format(id="evil"))
        for i in range(10_000):
            z.writestr(f"evil/figures/{i}.png", b"")
    with pytest.raises(packs.PackError, match="10002 files"):
        packs.import_pack(pack, library)
    assert snapshot(root) == {"library"}


def test_not_a_zip(tmp_path, sandbox):
    _root, library = sandbox
    path = tmp_path / "junk.hafiza"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(packs.PackError, match="not a readable lesson pack"):
        packs.import_pack(path, library)


def test_a_bad_lesson_in_a_pack_stops_the_whole_pack(tmp_path, sandbox):
    root, library = sandbox
    members = base(lesson_id="good")
    members.update(base(lesson_id="evil", md="# T\n\n<iframe src=x>\n"))
    pack = write_pack(tmp_path / "mixed.hafiza", members, ("good", "evil"))
    with pytest.raises(packs.PackError, match="raw HTML"):
        packs.import_pack(pack, library)
    assert snapshot(root) == {"library"}


def test_cli_import_asks_and_reports(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    out = packs.export_pack([DEMO], tmp_path / "demo.hafiza")
    env = {**os.environ, "HAFIZA_HOME": str(tmp_path / "home")}
    command = [sys.executable, str(root / "main.py"), "lessons", "import", str(out)]
    refused = subprocess.run(command, input="n\n", env=env, capture_output=True, text=True,
                             cwd=root, timeout=120)
    assert refused.returncode == 1 and "add: lstm-gates" in refused.stdout
    assert not (tmp_path / "home" / "data" / "lessons" / "lstm-gates").exists()
    accepted = subprocess.run(command, input="y\n", env=env, capture_output=True, text=True,
                              cwd=root, timeout=120)
    assert accepted.returncode == 0, accepted.stderr
    assert (tmp_path / "home" / "data" / "lessons" / "lstm-gates" / "fa.md").is_file()
    evil = write_pack(tmp_path / "evil.hafiza", base(md="# T\n\n<script>x</script>\n"))
    result = subprocess.run(command[:-1] + [str(evil), "--yes"], env=env, capture_output=True,
                            text=True, cwd=root, timeout=120)
    assert result.returncode == 1 and "refused" in result.stderr and "raw HTML" in result.stderr
