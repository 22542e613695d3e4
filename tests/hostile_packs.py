"""Hostile `.hafiza` lesson packs, each built in the case's input folder, each imported with
`hafiza lessons import PACK --yes` (the CLI, in-process in the harness's child)."""

from __future__ import annotations

import json
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from hostile_harness import Action

LESSON = "hostile"
YAML = "id: {id}\norder: 1\ntitle:\n  en: Hostile lesson\n"
MD = "# Hostile\n\nSome text.\n"
MARK = "HOSTILE"  # in every injected URL, so the harness can find it unescaped


def lesson_files(lesson_id: str = LESSON, yaml_extra: str = "", md: str = MD,
                 figures: dict[str, bytes] | None = None, yaml: str | None = None
                 ) -> dict[str, bytes]:
    files = {"lesson.yaml": (yaml if yaml is not None else
                             YAML.format(id=lesson_id) + yaml_extra).encode("utf-8"),
             "en.md": md.encode("utf-8")}
    for name, data in (figures or {}).items():
        files[f"figures/{name}"] = data
    return files


def write_pack(path: Path, lessons: dict[str, dict[str, bytes]] | None = None,
               manifest: bytes | None = None, extra: list | None = None,
               method: int = zipfile.ZIP_DEFLATED) -> Path:
    """A pack: `lessons` {id: {inner path: bytes}}, the manifest naming them (or `manifest`
    as given), then `extra` members, each (name or ZipInfo, bytes)."""
    lessons = {LESSON: lesson_files()} if lessons is None else lessons
    with zipfile.ZipFile(path, "w", method) as pack:
        pack.writestr("hafiza-pack.json", manifest if manifest is not None else
                      json.dumps({"format": 1, "lessons": list(lessons)}))
        for lesson_id, files in lessons.items():
            for inner, data in files.items():
                pack.writestr(f"{lesson_id}/{inner}", data)
        for name, data in extra or ():
            pack.writestr(name, data)
    return path


def _import(pack: Path, render: str | None = None) -> Action:
    return Action("cli", ["lessons", "import", str(pack), "--yes"], render=render)


def _link(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def _patched_name(path: Path, placeholder: bytes, replacement: bytes, flag: int = 0) -> None:
    """Rewrites `placeholder` inside a member's name (local header and central directory),
    with extra general-purpose flag bits: names and flags no zip library would write."""
    raw = bytearray(path.read_bytes())
    for signature, flags_at, length_at, name_at in ((b"PK\x03\x04", 6, 26, 30),
                                                    (b"PK\x01\x02", 8, 28, 46)):
        at = raw.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", raw, at + length_at)[0]
            name = raw[at + name_at:at + name_at + length]
            if placeholder in name:
                raw[at + name_at:at + name_at + length] = name.replace(placeholder, replacement)
                struct.pack_into("<H", raw, at + flags_at,
                                 struct.unpack_from("<H", raw, at + flags_at)[0] | flag)
            at = raw.find(signature, at + 4)
    path.write_bytes(bytes(raw))


def png(width: int, height: int, body: bytes = b"") -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(body or b"\0" * 64)) + chunk(b"IEND", b"")


def _svg(body: str, head: str = "", size: str = 'width="100" height="100"') -> bytes:
    return (f'<?xml version="1.0"?>{head}<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" {size}>{body}</svg>').encode()


def _figure_md(name: str) -> str:
    return f"# Hostile\n\n![figure](figures/{name})\n\nSome text.\n"


# --- the cases ----------------------------------------------------------------------------

def pack_cases(root_of: Callable[[Path], Path] = lambda root: root / "input") -> list[tuple]:
    """(id, build(root) -> Action, expect, check or None) for every hostile pack."""
    from hafiza.lessonlib import packs
    from hafiza.lessonlib.outline import BUILTIN_LESSONS_DIR

    cases: list[tuple] = []

    def case(case_id: str, expect: str = "refused", check=None, render: str | None = None,
             **pack_args):
        def build(root: Path) -> Action:
            return _import(write_pack(root_of(root) / f"{case_id}.hafiza", **pack_args), render)
        cases.append((case_id, build, expect, check))

    def raw_case(case_id: str, build_pack: Callable[[Path], Path], expect: str = "refused",
                 check=None):
        def build(root: Path) -> Action:
            return _import(build_pack(root_of(root) / f"{case_id}.hafiza"))
        cases.append((case_id, build, expect, check))

    over_file = packs.MAX_FILE_BYTES + 1
    # archives
    case("control-valid-pack", expect="accepted")
    case("bomb-one-member", extra=[(f"{LESSON}/figures/bomb.png", b"\0" * over_file)])
    per_figure = packs.MAX_FILE_BYTES - 1024
    count = packs.MAX_TOTAL_BYTES // per_figure + 1
    case("bomb-total", extra=[(f"{LESSON}/figures/b{i}.png", b"\0" * per_figure)
                              for i in range(count)])

    def lying_header(path: Path) -> Path:
        write_pack(path, extra=[(f"{LESSON}/figures/liar.png", b"\0" * 300_000)])
        raw = bytearray(path.read_bytes())
        for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            at = raw.find(signature)
            while at != -1:
                if b"liar.png" in raw[at:at + 80]:
                    struct.pack_into("<I", raw, at + size_at, 10)
                at = raw.find(signature, at + 4)
        path.write_bytes(bytes(raw))
        return path
    raw_case("bomb-lying-header", lying_header)
    case("too-many-members", extra=[(f"{LESSON}/figures/f{i}.png", b"x")
                                    for i in range(packs.MAX_FILES + 1)])
    case("zip-slip-dotdot", extra=[("../../canary/pwned.md", b"pwned")])
    case("zip-slip-inner-dotdot", extra=[(f"{LESSON}/../../canary/pwned.md", b"pwned")])
    case("zip-slip-backslash", extra=[(f"{LESSON}\\..\\..\\canary\\pwned.md", b"pwned")])
    case("zip-drive-letter", extra=[("C:/canary/pwned.md", b"pwned")])
    case("zip-control-char-name", extra=[(f"{LESSON}/figures/a\x07.png", b"x")])
    case("zip-duplicate-names", extra=[(f"{LESSON}/en.md", b"# Again\n")])
    case("symlink-figure-to-etc-passwd",
         extra=[_link(f"{LESSON}/figures/passwd.png", "/etc/passwd")])
    case("symlink-lesson-text-to-canary",
         lessons={LESSON: {"lesson.yaml": YAML.format(id=LESSON).encode()}},
         extra=[_link(f"{LESSON}/en.md", "../../canary/secret.txt")])

    def absolute(path: Path) -> Path:
        target = str(path.parent.parent / "canary" / "pwned.md")
        placeholder = "A" * len(target)
        write_pack(path, extra=[(placeholder, b"x")])
        _patched_name(path, placeholder.encode(), target.encode())
        return path
    raw_case("zip-absolute-name", absolute)

    def bad_utf8(path: Path) -> Path:
        write_pack(path, extra=[(f"{LESSON}/figures/XXXX.png", b"x")])
        _patched_name(path, b"XXXX", b"\xff\xfe\xc3\x28", flag=0x800)
        return path
    raw_case("zip-name-flagged-utf8-not-utf8", bad_utf8)

    def encrypted(path: Path) -> Path:
        write_pack(path, extra=[(f"{LESSON}/figures/EEEE.png", b"x")])
        _patched_name(path, b"EEEE", b"EEEE", flag=0x1)
        return path
    raw_case("zip-encrypted-flag", encrypted)
    case("zip-bzip2-method", method=zipfile.ZIP_BZIP2)
    raw_case("zip-empty", lambda p: (zipfile.ZipFile(p, "w").close(), p)[1])
    raw_case("not-a-zip", lambda p: (p.write_bytes(b"\x00garbage" * 1000), p)[1])

    def truncated(path: Path) -> Path:
        write_pack(path)
        path.write_bytes(path.read_bytes()[:-40])
        return path
    raw_case("zip-truncated", truncated)
    case("nested-pack", extra=[(f"{LESSON}/inner.hafiza",
                                (Path(__file__).read_bytes()[:100]))])
    case("nested-pack-as-figure", extra=[(f"{LESSON}/figures/inner.png", b"PK\x03\x04" +
                                          b"\0" * 100)], expect="either")
    # manifests
    case("manifest-not-json", manifest=b"{not json")
    case("manifest-deep-nesting", manifest=b"[" * 100_000 + b"]" * 100_000)
    case("manifest-huge-lesson-count",
         manifest=json.dumps({"format": 1, "lessons": [f"l{i}" for i in range(1_000_000)]})
         .encode())
    case("manifest-missing-lesson", manifest=json.dumps({"format": 1, "lessons": []}).encode())
    case("manifest-lesson-is-path",
         manifest=json.dumps({"format": 1, "lessons": ["../canary"]}).encode())
    case("too-many-lessons", lessons={f"l{i}": lesson_files(f"l{i}")
                                      for i in range(packs.MAX_LESSONS + 1)})
    # lesson.yaml
    case("yaml-python-object", lessons={LESSON: lesson_files(yaml_extra=(
        "license: !!python/object/apply:os.system ['touch ../canary/pwned']\n"))})
    case("yaml-python-name", lessons={LESSON: lesson_files(
        yaml_extra="license: !!python/name:os.system\n")})
    laughs = "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]\n"
                     for i in range(1, 12))
    case("yaml-anchor-bomb", lessons={LESSON: lesson_files(
        yaml=YAML.format(id=LESSON) + "glossary:\n  l0: &l0 {en: lol}\n" +
        "".join("  " + line for line in laughs.splitlines(keepends=True)))})
    case("yaml-deep-nesting", lessons={LESSON: lesson_files(
        yaml_extra="authors: " + "[" * 50_000 + "]" * 50_000 + "\n")})
    case("yaml-over-size-limit", lessons={LESSON: lesson_files(
        yaml_extra="license: '" + "x" * (256 * 1024) + "'\n")})
    case("yaml-not-utf8", lessons={LESSON: {**lesson_files(),
                                            "lesson.yaml": b"id: hostile\n\xff\xfe\n"}})
    case("yaml-a-list", lessons={LESSON: lesson_files(yaml="- id: hostile\n")})
    case("yaml-id-mismatch", lessons={LESSON: lesson_files(yaml=YAML.format(id="other"))})
    case("yaml-exercise-id-list", lessons={LESSON: lesson_files(
        yaml_extra="exercises:\n  - id: [a, b]\n    playground: activations\n")})
    case("yaml-prerequisites-number", lessons={LESSON: lesson_files(
        yaml_extra="prerequisites: 5\n")})
    case("yaml-exercises-string", lessons={LESSON: lesson_files(yaml_extra="exercises: abc\n")})
    # raw HTML and script in every text field: refused, or shown as text
    html = f'<img src="file:///{MARK}/canary/secret.png"><script>alert("{MARK}")</script>'
    link = f'<a href="javascript:alert(\'{MARK}\')">x</a>'
    for where, files in {
        "html-in-paragraph": lesson_files(md=f"# Hostile\n\n{html}\n"),
        "html-in-heading": lesson_files(md=f"# Hostile\n\n## Heading {html}\n\nText.\n"),
        "html-in-admonition-title": lesson_files(
            md=f"# Hostile\n\n::: note {html}\nInside.\n:::\n"),
        "html-in-list": lesson_files(md=f"# Hostile\n\n- {html}\n- {link}\n"),
        "html-in-table": lesson_files(md=f"# Hostile\n\n| a | b |\n|---|---|\n| {html} | x |\n"),
        "html-in-glossary-term": lesson_files(md=f"# Hostile\n\nSee [[{html}]] here.\n"),
        "html-in-glossary-shown-text": lesson_files(
            md=f"# Hostile\n\nSee [[term|{html}]] here.\n",
            yaml_extra="glossary:\n  term: {en: a term}\n"),
        "html-in-glossary-definition": lesson_files(
            md="# Hostile\n\nSee [[term]] here.\n",
            yaml_extra=f"glossary:\n  term: {{en: '{html}'}}\n"),
        "html-in-title": lesson_files(yaml=f"id: {LESSON}\norder: 1\ntitle:\n  en: '{html}'\n"),
        "html-in-quiz-question": lesson_files(md=(
            f"# Hostile\n\n```quiz\nid: q1\ntype: single\nquestion: '{html}'\noptions:\n"
            "  - text: a\n    correct: true\n  - text: b\n```\n")),
        "html-in-quiz-option": lesson_files(md=(
            f"# Hostile\n\n```quiz\nid: q1\ntype: single\nquestion: Q?\noptions:\n"
            f"  - text: '{html}'\n    correct: true\n  - text: '{link}'\n```\n")),
        "html-in-quiz-explanation": lesson_files(md=(
            f"# Hostile\n\n```quiz\nid: q1\ntype: single\nquestion: Q?\nexplain: '{html}'\n"
            f"options:\n  - text: a\n    correct: true\n    explain: '{link}'\n"
            "  - text: b\n```\n")),
        "html-in-code-language": lesson_files(md=f"# Hostile\n\n```{html}\ncode\n```\n"),
        "html-entities-only": lesson_files(md="# Hostile\n\n&lt;script&gt; &amp; &#60;b&#62;\n"),
        "link-javascript": lesson_files(md=f"# Hostile\n\n[click](javascript:alert('{MARK}'))\n"),
        "link-file-url": lesson_files(md=f"# Hostile\n\n[open](file:///etc/passwd?{MARK})\n"),
        "link-with-credentials": lesson_files(
            md=f"# Hostile\n\n[site](https://user:pass@example.com/{MARK})\n"),
        "link-data-url": lesson_files(
            md="# Hostile\n\n[x](data:text/html;base64,PHNjcmlwdD4=)\n"),
        "image-file-url": lesson_files(md=f"# Hostile\n\n![x](file:///{MARK}/canary/a.png)\n"),
        "image-outside-folder": lesson_files(md="# Hostile\n\n![x](../../canary/secret.png)\n"),
        "image-absolute-path": lesson_files(md="# Hostile\n\n![x](/etc/passwd)\n"),
        "image-http-url": lesson_files(md=f"# Hostile\n\n![x](https://example.com/{MARK}.png)\n"),
        "formula-href": lesson_files(md=f"# Hostile\n\n$\\href{{javascript:{MARK}}}{{x}}$\n"),
        "markdown-nul-bytes": lesson_files(md="# Hostile\n\n" + "\x00" * 1000 + "\n"),
    }.items():
        case(where, expect="either", render=LESSON, lessons={LESSON: files})
    # SVG figures: refused, or sanitised before they are written
    svgs = {
        "svg-script": _svg(f"<script>alert('{MARK}')</script><rect width='10' height='10'/>"),
        "svg-onload": _svg("<rect width='10' height='10' onload=\"alert('x')\"/>"),
        "svg-external-file-image": _svg(
            f"<image href='file:///{MARK}/canary/secret.png' width='50' height='50'/>"),
        "svg-external-http-xlink": _svg(
            f"<image xlink:href='http://example.com/{MARK}.png' width='50' height='50'/>"),
        "svg-use-external": _svg(f"<use href='file:///{MARK}/x.svg#a'/>"),
        "svg-entity-bomb": _svg("<text>&l5;</text>", head=(
            '<!DOCTYPE svg [<!ENTITY l0 "lol">' +
            "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 6)) +
            "]>")),
        "svg-external-entity": _svg("<text>&x;</text>", head=(
            '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>')),
        "svg-foreign-object": _svg(
            f"<foreignObject width='50' height='50'><div>{html}</div></foreignObject>"),
        "svg-huge-canvas": _svg("<rect width='10' height='10'/>",
                                size='width="200000" height="200000"'),
        "svg-not-xml": b"<svg><<<>>> not xml",
    }
    for name, data in svgs.items():
        case(name, expect="either", check=_svg_check, render=LESSON, lessons={LESSON: lesson_files(
            md=_figure_md("f.svg"), figures={"f.svg": data})})
    case("svg-many-large", expect="either", check=_svg_check, render=LESSON,
         lessons={LESSON: lesson_files(
             md="# Hostile\n\n" + "".join(f"![f](figures/f{i}.svg)\n\n" for i in range(12)),
             figures={f"f{i}.svg": _svg("<rect width='10' height='10'/>",
                                        size='width="30000" height="30000"')
                      for i in range(12)})})
    # images
    for name, data in {"png-fake-text": b"this is not a png at all",
                       "png-huge-dimensions": png(100_000, 100_000),
                       "png-truncated": png(10, 10)[:30],
                       "png-is-html": b"<html><script>alert(1)</script></html>"}.items():
        case(name, expect="either", render=LESSON, lessons={LESSON: lesson_files(
            md=_figure_md("f.png"), figures={"f.png": data})})
    # exercises
    exercise = ("exercises:\n  - id: ex\n    task: language_model\n    dataset: {{name: "
                "text_file, path: '{path}'}}\n    model: ['Embedding(vocab_size, 8)', "
                "'LSTM(8, return_sequences=True)', 'Dense(vocab_size, softmax)']\n")
    md_ex = "# Hostile\n\n```exercise\nid: ex\n```\n"
    for name, path in {"exercise-path-etc-passwd": "/etc/passwd",
                       "exercise-path-dotdot": "../../canary/secret.txt",
                       "exercise-path-inner-dotdot": "figures/../../../canary/secret.txt",
                       "exercise-path-home": "~/.bashrc"}.items():
        case(name, lessons={LESSON: lesson_files(md=md_ex,
                                                 yaml_extra=exercise.format(path=path))})
    case("exercise-lessons-dir-etc", lessons={LESSON: lesson_files(md=md_ex, yaml_extra=(
        "exercises:\n  - id: ex\n    task: language_model\n    dataset: {name: lessons, "
        "lessons_dir: /etc}\n    model: ['Embedding(vocab_size, 8)', 'Dense(vocab_size, "
        "softmax)']\n"))})
    dense = ("exercises:\n  - id: ex\n    task: binary\n    dataset: {{name: xor{extra}}}\n"
             "    model: ['{layer}', 'Dense(1, sigmoid)']\n    input_shape: [2]\n"
             "    hyperparameters: {{{hyper}}}\n")
    for name, (extra, layer, hyper) in {
        "exercise-batch-size-zero": ("", "Dense(4, tanh)", "batch_size: 0"),
        "exercise-units-1e7": ("", "Dense(10000000, tanh)", "epochs: 1"),
        "exercise-n-samples-1e10": (", n_samples: 10000000000", "Dense(4, tanh)", "epochs: 1"),
        "exercise-noise-nan": (", noise: .nan", "Dense(4, tanh)", "epochs: 1"),
        "exercise-n-samples-text": (", n_samples: abc", "Dense(4, tanh)", "epochs: 1"),
    }.items():
        case(name, lessons={LESSON: lesson_files(md=md_ex, yaml_extra=dense.format(
            extra=extra, layer=layer, hyper=hyper))})
    builtin = sorted(p.name for p in BUILTIN_LESSONS_DIR.iterdir()
                     if (p / "lesson.yaml").is_file())[0]
    case("builtin-lesson-id-without-replace", expect="either",
         check=lambda root, _id=builtin: _not_in_library(root, _id),
         lessons={builtin: lesson_files(builtin)})
    case("existing-library-lesson-without-replace", expect="either",
         lessons={"kept-lesson": lesson_files("kept-lesson")})
    return cases


def _library(root: Path) -> Path:
    return root / "home" / "data" / "lessons"


def _not_in_library(root: Path, lesson_id: str) -> str:
    if (_library(root) / lesson_id / "lesson.yaml").is_file():
        return f"built-in lesson {lesson_id!r} was replaced without --replace"
    return ""


_SVG_HARM = re.compile(r"<script|\bon[a-z]+\s*=|href\s*=\s*[\"']\s*(?!#)|<!entity|<!doctype|"
                       r"foreignobject", re.IGNORECASE)


def _svg_check(root: Path) -> str:
    """An accepted SVG must have been sanitised: nothing that reaches out or runs."""
    for svg in _library(root).glob("*/figures/*.svg"):
        text = svg.read_bytes().decode("utf-8", "replace")
        found = sorted({match.group(0) for match in _SVG_HARM.finditer(text)})
        if found:
            return f"{svg.name} installed with {', '.join(found)}"
    return ""
