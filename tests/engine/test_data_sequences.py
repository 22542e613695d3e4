import numpy as np
import pytest

from hafiza.engine.data import get_dataset
from hafiza.engine.data.sequences import make_long_dependency, seq003
from hafiza.engine.data.timeseries import make_noisy_sum, make_sine, windows


def test_seq003_is_the_seed_sequence_exactly():
    ds = seq003()
    assert ds.task == "regression"
    assert ds.x_train.shape == (4, 1, 1) and ds.y_train.shape == (4, 1)
    assert ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.float32
    expected_x = np.array([0.0, 0.1, 0.2, 0.3], dtype=np.float32).reshape(4, 1, 1)
    expected_y = np.array([[0.1], [0.2], [0.3], [0.4]], dtype=np.float32)
    np.testing.assert_array_equal(ds.x_train, expected_x)
    np.testing.assert_array_equal(ds.y_train, expected_y)
    # The seed predicts on its training data.
    np.testing.assert_array_equal(ds.x_val, expected_x)
    np.testing.assert_array_equal(ds.y_val, expected_y)
    assert ds.x_val is not ds.x_train
    assert ds.info["time_steps"] == 1 and ds.info["features"] == 1
    assert get_dataset("seq003").y_train.tolist() == ds.y_train.tolist()


def test_long_dependency_shapes_and_label_in_first_step():
    ds = make_long_dependency(n_samples=100, seq_len=30, seed=0, val_fraction=0.2)
    assert ds.task == "binary" and ds.n_classes == 2
    assert ds.x_train.shape == (80, 30, 1) and ds.x_val.shape == (20, 30, 1)
    assert ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.int64
    for x, y in ((ds.x_train, ds.y_train), (ds.x_val, ds.y_val)):
        np.testing.assert_array_equal(x[:, 0, 0], np.where(y == 1, 1.0, -1.0))
    labels = np.concatenate([ds.y_train, ds.y_val])
    assert np.bincount(labels).tolist() == [50, 50]
    assert ds.info["time_steps"] == 30


def test_long_dependency_later_steps_carry_no_label():
    ds = make_long_dependency(n_samples=2000, seq_len=10, seed=1, noise=1.0)
    later = ds.x_train[:, 1:, 0]
    assert abs(later.mean()) < 0.05 and abs(later.std() - 1.0) < 0.05
    # Their mean is the same for both labels: only step 0 tells the classes apart.
    gap = later[ds.y_train == 1].mean() - later[ds.y_train == 0].mean()
    assert abs(gap) < 0.05


@pytest.mark.parametrize("name", ["long_dependency", "sine", "noisy_sum"])
def test_sequence_sets_are_reproducible(name):
    first, again, other = (get_dataset(name, seed=s) for s in (5, 5, 6))
    np.testing.assert_array_equal(first.x_train, again.x_train)
    np.testing.assert_array_equal(first.y_train, again.y_train)
    np.testing.assert_array_equal(first.x_val, again.x_val)
    assert not np.array_equal(first.x_train, other.x_train)


def test_sine_windows_and_targets():
    ds = make_sine(n_samples=100, window=8, noise=0.0, seed=0, val_fraction=0.2)
    assert ds.task == "regression"
    assert ds.x_train.shape == (80, 8, 1) and ds.y_train.shape == (80, 1)
    assert ds.x_val.shape == (20, 8, 1) and ds.y_val.shape == (20, 1)
    assert ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.float32
    # Consecutive windows slide by one step and the target is the next value.
    np.testing.assert_array_equal(ds.x_train[1:, :-1], ds.x_train[:-1, 1:])
    np.testing.assert_array_equal(ds.y_train[:-1, 0], ds.x_train[1:, -1, 0])
    # Validation is the end of the series, right after training.
    series = ds.info["series"]
    assert len(series) == 108
    assert ds.info["val_start"] == 88
    np.testing.assert_array_equal(ds.y_val[:, 0], series[88:])
    np.testing.assert_array_equal(ds.x_val[0, :, 0], series[80:88])
    assert np.abs(series).max() <= 1.0 + 1e-6  # noise 0: a clean sine


def test_windows_rejects_short_series():
    x, y = windows(np.arange(5), 2)
    np.testing.assert_array_equal(x[:, :, 0], [[0, 1], [1, 2], [2, 3]])
    np.testing.assert_array_equal(y[:, 0], [2, 3, 4])
    with pytest.raises(ValueError):
        windows(np.arange(3), 3)


def test_noisy_sum_targets_are_sums():
    clean = make_noisy_sum(n_samples=50, window=6, noise=0.0, seed=0, val_fraction=0.2)
    assert clean.x_train.shape == (40, 6, 1) and clean.y_train.shape == (40, 1)
    assert clean.y_train.dtype == np.float32
    np.testing.assert_allclose(clean.y_train, clean.x_train.sum(axis=1), rtol=1e-5)
    noisy = make_noisy_sum(n_samples=2000, window=6, noise=0.1, seed=0)
    residual = noisy.y_train - noisy.x_train.sum(axis=1)
    assert 0.08 < residual.std() < 0.12


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("sine", {"window": 0}),
        ("sine", {"period": 1}),
        ("noisy_sum", {"noise": -1}),
        ("long_dependency", {"seq_len": 0}),
        ("long_dependency", {"val_fraction": -0.1}),
    ],
)
def test_bad_sequence_parameters(name, params):
    with pytest.raises(ValueError):
        get_dataset(name, **params)
