"""The IMDB import dialog (file import, download with cancel and resume, refusals, the "where
to get it" text) and the review browser (ids, decoded words, left-to-right review text)."""

from __future__ import annotations

import http.server
import io
import tarfile
import threading

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QDesktopServices, QTextDocument, QTextOption
from PySide6.QtWidgets import QAbstractButton

from hafiza.engine.data import imdb
from hafiza.ui import i18n
from hafiza.ui.imdb_import import ImdbImportDialog, error_message, where_to_get_it
from hafiza.ui.review_browser import ReviewBrowser, compress_padding

REVIEWS = {
    "aclImdb/train/neg/0_2.txt": "A dull film.<br /><br />Bad acting, bad plot.",
    "aclImdb/train/pos/0_9.txt": "A great film! Great acting.",
    "aclImdb/test/neg/0_1.txt": "Bad, dull.",
    "aclImdb/test/pos/0_10.txt": "Great fun, I loved it.",
}


def make_archive(path, hostile=False):
    with tarfile.open(path, "w:gz") as tar:
        for name, text in REVIEWS.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if hostile:
            info = tarfile.TarInfo("aclImdb/train/pos/5_10.txt")
            info.type = tarfile.SYMTYPE
            info.linkname = "../../../../etc/passwd"
            tar.addfile(info)
    return path


@pytest.fixture
def language(qapp):
    yield lambda tag: i18n.apply_language(qapp, tag)
    i18n.apply_language(qapp, "en")


@pytest.fixture
def dialog(qtbot, tmp_path):
    widget = ImdbImportDialog(cache_dir=tmp_path / "cache",
                              download_path=tmp_path / "dl" / imdb.ARCHIVE_NAME,
                              expected_md5=None)
    qtbot.addWidget(widget)
    return widget


def test_explains_where_to_get_the_data(dialog, language):
    assert "Not imported" in dialog.state_label.text()
    text = where_to_get_it()
    for name in (imdb.ARCHIVE_NAME, imdb.CSV_NAME, imdb.KERAS_NPZ, imdb.HOME_PAGE):
        assert name in text
    language("fa")
    dialog.retranslate()
    persian = dialog.explanation.text()
    assert imdb.ARCHIVE_NAME in persian and "نقد" in persian
    assert dialog.windowTitle() != "Import the IMDB movie reviews"
    assert error_message(imdb.UNSAFE) != error_message(imdb.CORRUPT)


def test_import_a_file_in_the_worker(dialog, qtbot, tmp_path):
    archive = make_archive(tmp_path / "a.tar.gz")
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as blocker:
        dialog.import_path(archive)
        assert not dialog.file_button.isEnabled() and dialog.cancel_button.isEnabled()
    report = blocker.args[0]
    assert (report.n_train, report.n_test) == (2, 2)
    qtbot.waitUntil(lambda: dialog.task is None)
    assert dialog.file_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert "2" in dialog.state_label.text() and "a.tar.gz" in dialog.state_label.text()
    # a repacked archive is said plainly to be fine, without the word "checksum"
    assert "checksum" not in dialog.phase_label.text()
    assert i18n._("This copy is not exactly the official download (it may have been packed "
                  "again), but all its reviews are there and in order, so Hafiza uses it."
                  ) in dialog.phase_label.text()


def test_hostile_archive_is_refused_with_a_message(dialog, qtbot, tmp_path):
    with qtbot.waitSignal(dialog.work_ended, timeout=20_000):
        dialog.import_path(make_archive(tmp_path / "bad.tar.gz", hostile=True))
    assert dialog.phase_label.text() == error_message(imdb.UNSAFE)
    assert imdb.read_manifest(tmp_path / "cache") is None


class _HeldHandler(http.server.BaseHTTPRequestHandler):
    """Serves `payload`; a whole download stops halfway until `release` is set, so the test
    cancels it there (no timing: the server waits on the event)."""

    payload = b""
    release: threading.Event
    halfway: threading.Event

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        start = 0
        header = self.headers.get("Range")
        if header:
            start = int(header.removeprefix("bytes=").rstrip("-"))
            self.send_response(206)
            self.send_header("Content-Range",
                             f"bytes {start}-{len(self.payload) - 1}/{len(self.payload)}")
        else:
            self.send_response(200)
        body = self.payload[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        half = len(body) // 2 if start == 0 else 0
        try:
            self.wfile.write(body[:half])
            self.wfile.flush()
            if half:
                self.halfway.set()
                self.release.wait(20)
            self.wfile.write(body[half:])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def test_download_cancel_and_resume(dialog, qtbot, tmp_path):
    payload = make_archive(tmp_path / "served.tar.gz").read_bytes() + b"\0" * 400_000
    release, halfway = threading.Event(), threading.Event()
    handler = type("H", (_HeldHandler,), {"payload": payload, "release": release,
                                           "halfway": halfway})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dialog.download_url = f"http://127.0.0.1:{server.server_address[1]}/a.tar.gz"
        with qtbot.waitSignal(dialog.work_ended, timeout=20_000):
            dialog.start_download()
            qtbot.waitUntil(halfway.is_set, timeout=10_000)
            qtbot.waitUntil(lambda: imdb.partial_download(dialog.download_path) > 0,
                            timeout=10_000)
            dialog.cancel()
            release.set()
        assert dialog.last_result == "cancelled"
        done = imdb.partial_download(dialog.download_path)
        assert 0 < done < len(payload)
        assert "Resume" in dialog.download_button.text()
        with qtbot.waitSignal(dialog.imported, timeout=30_000):
            dialog.start_download()
        assert dialog.download_path.read_bytes() == payload
        qtbot.waitUntil(lambda: dialog.task is None)
        assert "Resume" not in dialog.download_button.text()
    finally:
        release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def corpus(tmp_path):
    imdb.import_imdb(make_archive(tmp_path / "a.tar.gz"), cache_dir=tmp_path / "c")
    return imdb.load_corpus(tmp_path / "c")


def test_browser_shows_review_ids_and_words(qtbot, corpus):
    browser = ReviewBrowser(corpus, maxlen=12)
    qtbot.addWidget(browser)
    browser.show_review("train", 0)
    assert "A dull film.\n\nBad acting" in browser.text_view.toPlainText()
    ids = browser.ids_view.toPlainText()
    assert ids.startswith("[0, 0, 0, 0, 1, ")  # padded before, then the start id
    assert browser.words_view.toPlainText() == (
        "<pad> \u00d7 4 <start> a dull film bad acting bad plot")
    assert browser.sentiment.text() == "Negative"
    browser.padding.setCurrentIndex(browser.padding.findData("post"))
    assert browser.ids_view.toPlainText().startswith("[1, ")
    browser.num_words.setValue(5)  # only ids 1..4: most words become <oov>
    assert "<oov>" in browser.words_view.toPlainText()
    browser.show_review("test", 1)
    assert browser.sentiment.text() == "Positive"
    assert browser.index.maximum() == 2


def test_review_text_stays_left_to_right_in_a_persian_window(qtbot, corpus, language):
    language("fa")
    browser = ReviewBrowser(corpus)
    qtbot.addWidget(browser)
    assert browser.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for view in (browser.text_view, browser.ids_view, browser.words_view):
        assert view.layoutDirection() == Qt.LayoutDirection.LeftToRight
        option = view.document().defaultTextOption()
        assert option.textDirection() == Qt.LayoutDirection.LeftToRight
    assert browser.random_button.text() != "Random review"
    assert any(c in browser.summary.text() for c in "۰۱۲۳۴۵۶۷۸۹")  # Persian digits


def test_browser_without_data_says_so(qtbot):
    browser = ReviewBrowser(None)
    qtbot.addWidget(browser)
    assert browser.summary.text() == error_message(imdb.NOT_IMPORTED)
    assert not browser.random_button.isEnabled()


def test_compress_padding():
    assert compress_padding(["<pad>", "<pad>", "<start>", "a", "<pad>"]) == (
        "<pad> \u00d7 2 <start> a <pad>")


# --- the dialog on a small screen, in Persian ----------------------------------------------

def test_the_home_page_is_a_link_opened_only_when_safe(dialog, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString())
                        or True)
    assert f'<a href="{imdb.HOME_PAGE}">' in dialog.explanation.text()
    assert dialog.explanation.openExternalLinks() is False  # open_link checks it first
    assert dialog.explanation.textInteractionFlags() & (
        Qt.TextInteractionFlag.LinksAccessibleByMouse)
    dialog.explanation.linkActivated.emit(imdb.HOME_PAGE)
    assert opened == [imdb.HOME_PAGE]
    for hostile in ("file:///etc/passwd", "javascript:alert(1)", "https://u:p@host/"):
        assert not dialog.open_link(hostile)
    assert opened == [imdb.HOME_PAGE]


@pytest.mark.parametrize("width", [620, 360])
def test_the_address_stays_on_one_line_in_a_persian_sentence(qapp, language, width):
    """The address is laid out as the label lays it out (right to left, wrapped at the
    label's width): its first and last characters are on one line, in their order."""
    language("fa")
    document = QTextDocument()
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    document.setDefaultTextOption(option)
    document.setDefaultFont(qapp.font())
    document.setHtml(where_to_get_it())
    document.setTextWidth(width)
    assert document.size().height() > 0  # lays the text out (lines exist from here on)
    found = document.find(imdb.HOME_PAGE.replace("/", "/\u2060"))
    assert not found.isNull()
    block = found.block()
    layout = block.layout()
    first = found.selectionStart() - block.position()
    last = found.selectionEnd() - block.position() - 1
    line, last_line = layout.lineForTextPosition(first), layout.lineForTextPosition(last)
    assert line.isValid() and last_line.isValid()
    assert line.lineNumber() == last_line.lineNumber()
    # read left to right (inner characters: at a run's edge the cursor's x is ambiguous)
    assert line.cursorToX(first + 1)[0] < line.cursorToX(last - 1)[0]


@pytest.mark.parametrize("tag", ["fa", "en"])
def test_the_dialog_fits_a_1024x700_screen(dialog, qtbot, language, tag):
    language(tag)
    dialog.retranslate()
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= 640 and dialog.width() <= 1000
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisibleTo(dialog):
            where = QRect(button.mapTo(dialog, QPoint(0, 0)), button.size())
            assert dialog.rect().contains(where), button.text()


def test_the_browser_follows_a_language_switch(qtbot, corpus, language):
    language("fa")
    browser = ReviewBrowser(corpus, maxlen=12)
    qtbot.addWidget(browser)
    assert browser.maxlen.text() == "۱۲"
    persian_padding = browser.padding.currentText()
    language("ary")
    browser.retranslate()
    assert browser.maxlen.text() == "12"
    assert browser.padding.currentText() == i18n._("at the start (pre)") != persian_padding
    assert browser.padding_value == "pre"
    assert "persian" not in browser.summary.text() and not set(browser.summary.text()) & set(
        "۰۱۲۳۴۵۶۷۸۹")
