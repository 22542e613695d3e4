"""The bundle's rules, checked without building it (the build and its smoke test are
`make bundle` and `make smoke`, too slow for the suite): what packaging/trim.py keeps and
drops, that every data file the app reads would reach the wheel (and so the bundle), and
that the installers' files say what they must."""

from __future__ import annotations

import configparser
import fnmatch
import sys
import tomllib

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
import trim  # noqa: E402


@pytest.mark.parametrize("path", [
    "torch/bin/torch_shm_manager",  # without it, training fails in the bundle
    "torch/lib/libtorch_cpu.so",
    "torch/lib/libc10.so",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",  # the icon and the lessons' figures
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/translations/qtbase_fa.qm",
    "PySide6/Qt/translations/qtbase_ar.qm",
    "babel/locale-data/root.dat",
    "babel/locale-data/ar_MA.dat",
    "babel/locale-data/ar_EG.dat",
    "babel/locale-data/fa_IR.dat",
    "hafiza/lessons/sequences-rnn/fa.md",
    "hafiza/locales/ary/LC_MESSAGES/hafiza.mo",
    "hafez/data/hafez.json",
    "numpy.libs/libscipy_openblas64_-32a4b2a6.so",
])
def test_the_bundle_keeps_what_hafiza_uses(path):
    assert trim.is_kept(path)


@pytest.mark.parametrize("path", [
    "torch/bin/test_api",
    "torch/bin/protoc",
    "torch/include/ATen/ATen.h",
    "torch/lib/libtorchbind_test.so",
    "torch/lib/libdnnl.a",
    "PySide6/Qt/qml/QtQuick/qmldir",
    "PySide6/Qt/plugins/sqldrivers/libqsqlpsql.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/designer_ar.qm",
    "babel/locale-data/de.dat",
    "babel/locale-data/ar_SA.dat",
])
def test_the_bundle_drops_what_hafiza_never_uses(path):
    assert not trim.is_kept(path)


def test_trim_reads_windows_paths_too():
    assert not trim.is_kept("torch\\include\\ATen\\ATen.h")
    assert trim.is_kept("torch\\bin\\torch_shm_manager")


def test_babel_keeps_each_varietys_locale_and_its_parent():
    from hafiza import varieties

    for variety in varieties.VARIETIES.values():
        locale = variety.locale
        assert trim.is_kept(f"babel/locale-data/{locale}.dat"), locale
        assert trim.is_kept(f"babel/locale-data/{locale.split('_')[0]}.dat"), locale


def _package_data_patterns(package: str) -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"]
    return data.get("*", []) + data.get(package, [])


@pytest.mark.parametrize("folder, package", [("lessons", "hafiza.lessons"),
                                             ("locales", "hafiza.locales")])
def test_every_shipped_data_file_reaches_the_wheel(folder, package):
    """The bundle is made from the wheel: a lesson figure or catalog that the package-data
    patterns miss would be missing for every learner who installs, and nowhere else."""
    patterns = _package_data_patterns(package)
    root = ROOT / folder
    missed = [str(path.relative_to(root)) for path in root.rglob("*")
              if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py"
              and path.name not in (".lock", ".gitignore")  # the translators' lock
              and not any(fnmatch.fnmatch(path.relative_to(root).as_posix(), pattern)
                          or fnmatch.fnmatch(path.name, pattern) for pattern in patterns)]
    assert missed == []


def test_the_icon_files_exist_for_every_platform():
    for suffix in (".svg", ".png", ".ico", ".icns"):
        icon = ROOT / "hafiza" / f"icon{suffix}"
        assert icon.is_file() and icon.stat().st_size > 500, icon
    assert (ROOT / "hafiza" / "icon.ico").read_bytes()[:4] == b"\0\0\1\0"
    assert (ROOT / "hafiza" / "icon.icns").read_bytes()[:4] == b"icns"


def test_the_linux_menu_entry_starts_the_installed_app():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "linux" / "hafiza.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "@EXEC@"  # install.sh writes the installed path there
    assert desktop["Icon"] == "hafiza"
    assert desktop["Terminal"] == "false"
    assert desktop["Name[fa]"] == "حافظه" and desktop["Name[ar]"] == "حافظة"


def test_the_windows_installer_needs_no_administrator():
    script = (ROOT / "packaging" / "windows" / "hafiza.nsi").read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in script
    assert "HKLM" not in script  # per user: only HKCU
    assert '"$LOCALAPPDATA\\Programs\\Hafiza"' in script
    for language in ("English", "Arabic", "Farsi"):
        assert f'MUI_LANGUAGE "{language}"' in script


def test_the_gui_entry_point_opens_no_console_and_the_cli_stays():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["gui-scripts"] == {"hafizaw": "hafiza.__main__:main"}
    assert config["project"]["scripts"] == {"hafiza": "hafiza.__main__:main"}
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
