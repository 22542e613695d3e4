"""The outline numbers lessons by their place in the course, as the page's "Lesson 8 of 8"
does; `order` only sorts them (issue 20, item 10)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from hafiza.lessonlib.outline import read_outline


def _lesson(root: Path, lesson_id: str, order: int, title: str) -> None:
    folder = root / lesson_id
    folder.mkdir(parents=True)
    (folder / "lesson.yaml").write_text(
        f"id: {lesson_id}\norder: {order}\ntitle: {{en: \"{title}\"}}\n", encoding="utf-8")
    (folder / "en.md").write_text(f"# {title}\n\nText.\n", encoding="utf-8")


def test_a_lesson_with_order_75_is_listed_by_its_place(qtbot, tmp_path):
    from hafiza.ui.outline_panel import OutlinePanel

    _lesson(tmp_path, "first", 10, "First")
    _lesson(tmp_path, "second", 20, "Second")
    _lesson(tmp_path, "bidirectional", 75, "Bidirectional RNNs")
    panel = OutlinePanel(read_outline(tmp_path))
    qtbot.addWidget(panel)
    panel.retranslate()
    rows = [panel.list.item(row) for row in range(panel.list.count())]
    assert [row.text().split("\n")[0] for row in rows] == [
        "1. First", "2. Second", "3. Bidirectional RNNs"]
    spoken = rows[2].data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("Lesson 3: ")
    assert "75" not in rows[2].text()
