"""Builds Hafiza's one-folder bundle and its archive: `make bundle` runs this.

    python packaging/build.py [--skip-venv] [--no-archive]

1. A build venv of its own (build/bundle-venv): torch first (TORCH_SPEC, the CPU wheel),
   PyInstaller, then Hafiza installed as a wheel (`pip install .`), so the bundle is made from
   exactly what a user's `pip install` gets, not from the checkout's editable install.
2. PyInstaller with packaging/hafiza.spec into dist/hafiza/ (dist/Hafiza.app on macOS).
3. The archive a learner downloads: dist/hafiza-VERSION-linux-ARCH.tar.xz on Linux, a .zip
   on Windows (the NSIS installer is built from the folder by packaging/windows/), a DMG on
   macOS (packaging/macos/make_dmg.sh).
4. The sizes: the unpacked folder and the archive (the goal for Linux: <= 180 MB).

Runs on Linux, Windows and macOS with the same steps; only the archive differs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
VENV = BUILD / "bundle-venv"
TORCH_SPEC = os.environ.get("TORCH_SPEC", "torch==2.13.0")
PYINSTALLER_SPEC = os.environ.get("PYINSTALLER_SPEC", "pyinstaller>=6.10,<7")
ARCHIVE_GOAL_MB = 180

sys.path.insert(0, str(Path(__file__).resolve().parent))
from trim import version  # noqa: E402


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(*command: str | Path, cwd: Path = ROOT) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, cwd=cwd)


def make_venv() -> None:
    if not venv_python().exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(venv_python(), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(venv_python(), "-m", "pip", "install", "--quiet", TORCH_SPEC)
        run(venv_python(), "-m", "pip", "install", "--quiet", PYINSTALLER_SPEC)
    # Hafiza itself every time: the bundle is made from the tree as it is now.
    run(venv_python(), "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", ".")
    run(venv_python(), "-m", "pip", "install", "--quiet", ".")
    # setuptools' build folder would otherwise hold stale copies of moved modules next time.
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)


def freeze() -> Path:
    # Not from the checkout: `python -m` puts the working folder first on sys.path, and the
    # checkout's hafiza/ (which finds its subpackages one folder up, at run time only) would
    # hide the installed package from PyInstaller's analysis.
    BUILD.mkdir(exist_ok=True)
    run(venv_python(), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", DIST, "--workpath", BUILD / "pyinstaller",
        ROOT / "packaging" / "hafiza.spec", cwd=BUILD)
    folder = DIST / "hafiza"
    shutil.copy2(ROOT / "LICENSE", folder / "LICENSE.txt")
    if sys.platform.startswith("linux"):  # the per-user installer travels inside the archive
        for name in ("install.sh", "hafiza.desktop"):
            shutil.copy2(ROOT / "packaging" / "linux" / name, folder / name)
    return folder


def strip_symbols(folder: Path) -> None:
    """Linux: removes the symbol tables of the bundle's libraries (libtorch_cpu alone loses
    90 MB). Not in `*.libs` folders: auditwheel rewrote those libraries' layout with patchelf,
    and strip breaks them (numpy's OpenBLAS then fails to load: "ELF load command
    address/offset not page-aligned"), as PyInstaller's own strip=True did."""
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and not path.parent.name.endswith(".libs"):
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    subprocess.run(["strip", "--strip-unneeded", str(path)], check=True)


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*")
               if path.is_file() and not path.is_symlink())


def archive(folder: Path) -> Path:
    machine = os.uname().machine if hasattr(os, "uname") else "x86_64"
    if sys.platform == "win32":
        base = DIST / f"hafiza-{version()}-windows-x86_64"
        return Path(shutil.make_archive(str(base), "zip", DIST, folder.name))
    if sys.platform == "darwin":
        run("bash", ROOT / "packaging" / "macos" / "make_dmg.sh", DIST / "Hafiza.app", version())
        return DIST / f"Hafiza-{version()}-macos.dmg"
    target = DIST / f"hafiza-{version()}-linux-{machine}.tar.xz"
    # xz with every core: Python's lzma would compress on one.
    with target.open("wb") as out:
        tar = subprocess.Popen(["tar", "-C", str(DIST), "-cf", "-", folder.name],
                               stdout=subprocess.PIPE)
        subprocess.run(["xz", "-T0", "-6", "-c"], stdin=tar.stdout, stdout=out, check=True)
        if tar.wait() != 0:
            raise SystemExit("tar failed")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-venv", action="store_true",
                        help="use build/bundle-venv as it is (no pip install)")
    parser.add_argument("--no-archive", action="store_true", help="only the folder")
    args = parser.parse_args()
    if not args.skip_venv:
        make_venv()
    folder = freeze()
    strip_symbols(folder)
    print(f"bundle: {folder} — {folder_size(folder) / 1e6:.0f} MB unpacked")
    if not args.no_archive:
        target = archive(folder)
        size = target.stat().st_size / 1e6
        verdict = "" if sys.platform in ("win32", "darwin") else (
            f" (goal <= {ARCHIVE_GOAL_MB} MB: {'met' if size <= ARCHIVE_GOAL_MB else 'MISSED'})")
        print(f"archive: {target} — {size:.0f} MB{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
