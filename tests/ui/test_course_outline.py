from hafiza.ui.course import BUILTIN_LESSONS_DIR, read_outline

VARIETIES = ("ary", "arz", "ar", "fa", "en")


def test_builtin_outline_has_the_seven_lessons_in_order_titled_in_every_variety():
    outline = read_outline(BUILTIN_LESSONS_DIR)
    assert outline.problems == []
    assert [entry.order for entry in outline.lessons] == list(range(1, 8))
    for entry in outline.lessons:
        assert all(entry.titles.get(tag) for tag in VARIETIES), entry.id
        assert entry.estimated_minutes > 0
        for prerequisite in entry.prerequisites:
            assert outline.find(prerequisite) is not None


def test_title_falls_back_along_the_chain(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "lesson.yaml").write_text(
        "id: x\norder: 1\ntitle:\n  ar: عنوان\n  en: Title\n", encoding="utf-8"
    )
    entry = read_outline(tmp_path).lessons[0]
    assert entry.title("ary") == ("عنوان", "ar")
    assert entry.title("arz") == ("عنوان", "ar")
    assert entry.title("fa") == ("Title", "en")  # fa -> en, never Arabic
    (folder / "en.md").write_text("# Title\n", encoding="utf-8")
    assert entry.text_path("fa") == (folder / "en.md", "en")


def test_a_broken_lesson_is_reported_and_the_rest_still_load(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "lesson.yaml").write_text("id: good\norder: 2\ntitle: {en: Good}\n", encoding="utf-8")
    for name, text in {
        "bad-yaml": "id: [unclosed\n",
        "not-mapping": "- a list\n",
        "no-title": "id: no-title\norder: 1\n",
        "python-object": "!!python/object/apply:os.system ['echo pwned']\n",
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "lesson.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "latin1").mkdir()
    (tmp_path / "latin1" / "lesson.yaml").write_bytes("title: {en: caf\xe9}".encode("latin-1"))
    outline = read_outline(tmp_path)
    assert [entry.id for entry in outline.lessons] == ["good"]
    assert len(outline.problems) == 5
