"""What the bundle leaves out (packaging/hafiza.spec filters PyInstaller's lists through `keep`).

Every rule names what Hafiza never uses at run time. The sizes are what each saved on the
Linux build (packaging/build.sh prints the totals). The smoke test (packaging/smoke.sh) is
what proves a rule safe: it trains, renders, checks and imports with the bundle alone.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

# Modules PyInstaller would follow from optional imports, none of which Hafiza calls.
EXCLUDED_MODULES = [
    "tkinter",
    "torch.utils.tensorboard",
    "torch.utils.benchmark",
    "IPython",
    "matplotlib",
    "pandas",
    "scipy",
    "PyQt5",
    "PyQt6",
    "PySide2",
]

# Paths inside the bundle (forward slashes), as fnmatch patterns ("*" crosses folders).
DROPPED = [
    # torch: headers, CMake files, static libraries, its own test programs and test libraries
    # (torch_shm_manager in torch/bin stays: without it training fails).
    "torch/include/*",
    "torch/share/*",
    "*.a",
    "torch/lib/libjitbackend_test.so*",
    "torch/lib/libtorchbind_test.so*",
    "torch/lib/libbackend_with_compiler.so*",
    "torch/lib/libaoti_custom_ops.so*",
    "torch/test/*",
    "torch/bin/*",  # test programs and protoc; torch_shm_manager is kept (KEPT)
    # Qt: QML and its tooling, Designer, SQL drivers (the store uses Python's sqlite3),
    # network plugins, embedded-display platforms, image formats no lesson uses.
    "PySide6/Qt/qml/*",
    "PySide6/Qt/metatypes/*",
    "PySide6/Qt/plugins/qmltooling/*",
    "PySide6/Qt/plugins/qmllint/*",
    "PySide6/Qt/plugins/designer/*",
    "PySide6/Qt/plugins/sqldrivers/*",
    "PySide6/Qt/plugins/tls/*",
    "PySide6/Qt/plugins/networkinformation/*",
    "PySide6/Qt/plugins/egldeviceintegrations/*",
    "PySide6/Qt/lib/libQt6EglFS*",  # only the dropped eglfs plugins load these
    "PySide6/Qt/plugins/vectorimageformats/*",
    "PySide6/Qt/plugins/wayland-graphics-integration-server/*",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so",
    "PySide6/Qt/plugins/platforms/libqminimalegl.so",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.*",
    "PySide6/Qt/plugins/imageformats/libqtiff.*",
    "PySide6/Qt/plugins/imageformats/libqwebp.*",
    "PySide6/Qt/plugins/imageformats/libqtga.*",
    "PySide6/Qt/plugins/imageformats/libqwbmp.*",
    # Babel's data for the 1,100 locales it knows; the five varieties' are kept below.
    "babel/locale-data/*",
    # Pygments colours code blocks: its lexers stay, its command-line tool does not matter.
]

# Exceptions to DROPPED: what must stay although a pattern above matches it.
KEPT = [
    "torch/bin/torch_shm_manager",
    # Qt's own strings (file dialogs, buttons) for the RTL varieties; English needs none.
    "PySide6/Qt/translations/qt_ar.qm",
    "PySide6/Qt/translations/qtbase_ar.qm",
    "PySide6/Qt/translations/qt_fa.qm",
    "PySide6/Qt/translations/qtbase_fa.qm",
    # Babel (ui.catalogs, plural rules): the varieties' locales and their parents.
    *(f"babel/locale-data/{name}.dat"
      for name in ("root", "en", "ar", "ar_MA", "ar_EG", "fa", "fa_IR")),
]
DROPPED.append("PySide6/Qt/translations/*")  # all but KEPT

_DROPPED = re.compile("|".join(fnmatch.translate(pattern) for pattern in DROPPED))
_KEPT = re.compile("|".join(fnmatch.translate(pattern) for pattern in KEPT))


def is_kept(path: str) -> bool:
    path = path.replace("\\", "/")
    return bool(_KEPT.match(path)) or not _DROPPED.match(path)


def keep(entries):
    """PyInstaller's TOC (dest_name, src_name, typecode) without what DROPPED names."""
    return [entry for entry in entries if is_kept(entry[0])]


def version() -> str:
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
