"""The top of the command line (hafiza/__main__.py): --version, --help, mistyped commands,
subcommands' own help, and `python main.py` = `python -m hafiza`."""

import subprocess
import sys

import pytest
from conftest import ROOT

import hafiza
from hafiza.__main__ import COMMANDS, main


def run_python(*args, timeout=60):
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_version_answers_without_loading_qt_or_torch():
    probe = ("import sys; from hafiza.__main__ import main\n"
             "try:\n    main(['--version'])\nexcept SystemExit as end:\n    code = end.code\n"
             "print(code, 'torch' in sys.modules, 'PySide6' in sys.modules)")
    result = run_python("-c", probe)
    assert result.stdout.splitlines() == [f"hafiza {hafiza.__version__}", "0 False False"], \
        result.stderr


def test_help_lists_every_command_and_the_apps_options(capsys):
    with pytest.raises(SystemExit) as end:
        main(["--help"])
    assert end.value.code == 0
    text = capsys.readouterr().out
    for command in ("train", "summary", "lessons", "progress"):
        assert f"\n  {command} " in text
    assert "check|new|list|export|import|remove" in text and "export|import" in text
    for option in ("--lang", "--lesson", "--screenshot", "--size", "--device", "--version"):
        assert option in text


def test_an_unknown_command_is_named_and_the_commands_listed(capsys):
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hafiza: unknown command 'list'\n")
    assert all(command in err for command in COMMANDS)


def test_an_unknown_command_without_stderr_says_nothing_and_exits_2(monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)  # a frozen Windows app without a console
    assert main(["lsit"]) == 2


@pytest.mark.parametrize("command, fragment", [
    (["train", "--help"], "usage: hafiza train"),
    (["lessons", "--help"], "usage: hafiza lessons"),
    (["progress", "--help"], "usage: hafiza progress"),
])
def test_subcommands_keep_their_own_help(command, fragment, capsys):
    with pytest.raises(SystemExit) as end:
        main(command)
    assert end.value.code == 0
    assert capsys.readouterr().out.startswith(fragment)


@pytest.mark.parametrize("args", [["--version"], ["list"], ["train", "no_such_exercise"]])
def test_main_py_and_python_dash_m_are_the_same_command(args):
    by_file = run_python(str(ROOT / "main.py"), *args)
    by_module = run_python("-m", "hafiza", *args)
    assert (by_file.returncode, by_file.stdout, by_file.stderr) == \
        (by_module.returncode, by_module.stdout, by_module.stderr)
    assert by_file.returncode == (0 if args == ["--version"] else 2)
