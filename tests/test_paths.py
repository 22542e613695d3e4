"""hafiza.paths, the one place that decides where the learner's files live."""

import platformdirs

from hafiza import paths
from hafiza.store import paths as store_paths


def test_hafiza_home_holds_config_and_data(hafiza_home):
    assert paths.config_dir() == hafiza_home / "config"
    assert paths.data_dir() == hafiza_home / "data"
    # the store names its files in the same folder
    assert store_paths.database_path() == hafiza_home / "data" / "progress.db"
    assert store_paths.models_dir() == hafiza_home / "data" / "models"


def test_without_hafiza_home_the_platforms_user_folders(monkeypatch):
    monkeypatch.delenv("HAFIZA_HOME", raising=False)
    assert paths.data_dir() == platformdirs.user_data_path("Hafiza", appauthor=False)
    assert paths.config_dir() == platformdirs.user_config_path("Hafiza", appauthor=False)


def test_an_empty_hafiza_home_counts_as_unset(monkeypatch):
    monkeypatch.setenv("HAFIZA_HOME", "")
    assert paths.data_dir() == platformdirs.user_data_path("Hafiza", appauthor=False)


def test_the_store_reuses_the_base_layers_folders():
    assert store_paths.data_dir is paths.data_dir
    assert store_paths.config_dir is paths.config_dir


def test_is_inside_resolves_links_and_dot_dots(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (folder / "link").symlink_to(tmp_path / "elsewhere")
    assert paths.is_inside(folder, folder / "a.pt")
    assert not paths.is_inside(folder, folder / ".." / "a.pt")
    assert not paths.is_inside(folder, folder / "link" / "a.pt")
