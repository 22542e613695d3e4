import numpy as np
import pytest

from hafiza.engine.data import DATASETS, ArrayDataset, DatasetError, get_dataset
from hafiza.engine.data.toy import LINEAR_MARGIN, make_circles, make_linear, make_spirals, make_xor

TOY = ["linear", "xor", "circles", "spirals"]


def _all_arrays(ds: ArrayDataset):
    return ds.x_train, ds.y_train, ds.x_val, ds.y_val


@pytest.mark.parametrize("name", TOY)
def test_toy_shapes_and_dtypes(name):
    ds = get_dataset(name, n_samples=100, val_fraction=0.25, seed=3)
    assert ds.name == name
    assert ds.task == "binary" and ds.n_classes == 2
    assert ds.x_train.shape == (75, 2) and ds.x_val.shape == (25, 2)
    assert ds.y_train.shape == (75,) and ds.y_val.shape == (25,)
    assert ds.x_train.dtype == np.float32 and ds.x_val.dtype == np.float32
    assert ds.y_train.dtype == np.int64 and ds.y_val.dtype == np.int64
    labels = np.concatenate([ds.y_train, ds.y_val])
    assert np.bincount(labels).tolist() == [50, 50]  # balanced
    assert ds.info["features"] == 2


@pytest.mark.parametrize("name", TOY)
def test_toy_sets_are_reproducible(name):
    first, again = get_dataset(name, seed=7), get_dataset(name, seed=7)
    for a, b in zip(_all_arrays(first), _all_arrays(again), strict=True):
        np.testing.assert_array_equal(a, b)
    other = get_dataset(name, seed=8)
    assert not np.array_equal(first.x_train, other.x_train)


@pytest.mark.parametrize("name", TOY)
def test_noise_spreads_the_points(name):
    quiet = get_dataset(name, noise=0.0, seed=1)
    loud = get_dataset(name, noise=0.5, seed=1)
    assert not np.array_equal(quiet.x_train, loud.x_train)
    assert np.all(np.isfinite(loud.x_train))


def _perceptron_accuracy(x: np.ndarray, y: np.ndarray, epochs: int = 1000) -> float:
    xb = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    target = np.where(y == 1, 1.0, -1.0)
    w = np.zeros(3)
    for _ in range(epochs):
        mistakes = 0
        for xi, ti in zip(xb, target, strict=True):
            if ti * (xi @ w) <= 0:
                w += ti * xi
                mistakes += 1
        if mistakes == 0:
            break
    return float(np.mean(np.sign(xb @ w) == target))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("noise", [0.0, 0.3, 1.0])
def test_linear_set_is_linearly_separable(seed, noise):
    ds = make_linear(n_samples=200, noise=noise, seed=seed)
    x = np.vstack([ds.x_train, ds.x_val])
    y = np.concatenate([ds.y_train, ds.y_val])
    # The true boundary separates every point with a margin ...
    distance = x @ np.array(ds.info["weights"]) + ds.info["bias"]
    assert np.all(np.where(y == 1, distance, -distance) >= LINEAR_MARGIN - 1e-5)
    # ... so a perceptron finds a separating line.
    assert _perceptron_accuracy(x, y) == 1.0


def test_xor_labels_follow_the_quadrants_without_noise():
    ds = make_xor(n_samples=200, noise=0.0, seed=4)
    x = np.vstack([ds.x_train, ds.x_val])
    y = np.concatenate([ds.y_train, ds.y_val])
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] < 0).astype(np.int64))
    # No single line does better than chance by much: least squares on x with a bias.
    design = np.hstack([x, np.ones((len(x), 1))])
    w, *_ = np.linalg.lstsq(design, np.where(y == 1, 1.0, -1.0), rcond=None)
    assert np.mean((design @ w > 0) == (y == 1)) < 0.7


def test_circles_have_the_two_radii_without_noise():
    ds = make_circles(n_samples=100, noise=0.0, factor=0.3, seed=0)
    radius = np.linalg.norm(ds.x_train, axis=1)
    np.testing.assert_allclose(radius[ds.y_train == 0], 1.0, rtol=1e-6)
    np.testing.assert_allclose(radius[ds.y_train == 1], 0.3, rtol=1e-6)


def test_spirals_with_more_arms_are_multiclass():
    ds = make_spirals(n_samples=300, n_arms=3, seed=0)
    assert ds.task == "multiclass" and ds.n_classes == 3
    labels = np.concatenate([ds.y_train, ds.y_val])
    assert np.bincount(labels).tolist() == [100, 100, 100]
    assert get_dataset("spirals", n_arms=2).task == "binary"


def test_val_fraction_zero_gives_empty_validation():
    ds = make_xor(n_samples=50, val_fraction=0.0)
    assert ds.x_train.shape == (50, 2)
    assert ds.x_val.shape == (0, 2) and ds.y_val.shape == (0,)


def test_registry_lists_every_data_set():
    assert set(DATASETS) == {
        "linear", "xor", "circles", "spirals", "seq003", "sine", "noisy_sum", "long_dependency",
        "imdb", "entities",
    }


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("moons", {}, "unknown data set 'moons'"),
        ("xor", {"n_arms": 3}, "no parameter 'n_arms'"),
        ("seq003", {"seed": 1}, "no parameter 'seed'"),
        ("xor", {"n_samples": 0}, "n_samples must be at least 2"),
        ("xor", {"n_samples": "ten"}, "n_samples must be a whole number"),
        ("xor", {"n_samples": True}, "n_samples must be a whole number"),
        ("circles", {"noise": -0.1}, "noise must be at least 0"),
        ("circles", {"noise": float("nan")}, "noise must be a number"),
        ("circles", {"factor": 1.5}, "factor must be at most 0.99"),
        ("linear", {"val_fraction": 1.0}, "val_fraction must be at most 0.95"),
        ("spirals", {"n_arms": 1}, "n_arms must be at least 2"),
        ("xor", {"seed": -1}, "seed must be at least 0"),
        ("sine", {"seed": "abc"}, "seed must be a whole number"),
    ],
)
def test_bad_requests_raise_dataset_error(name, params, message):
    with pytest.raises(DatasetError, match=message):
        get_dataset(name, **params)


def test_dataset_error_is_a_value_error():
    assert issubclass(DatasetError, ValueError)


def test_array_dataset_rejects_an_unknown_task():
    empty = np.zeros((0, 2), dtype=np.float32)
    with pytest.raises(DatasetError, match="task"):
        ArrayDataset("x", "clustering", empty, empty, empty, empty)
