import math

import numpy as np
import pytest

from course_utils import batch_size
from course_utils.batch_size import (
    BatchTiming,
    batch_timing_table,
    find_batch_size_limit,
    time_batch_sizes,
)
from course_utils.tools import batch_sweep as bs


@pytest.fixture(scope="module")
def workload():
    return bs._mlp_workload(samples=256, features=4, units=8, layers=1)


def row(batch_size, seconds, n=4096):
    return BatchTiming(batch_size, math.ceil(n / batch_size), seconds, n / seconds, (seconds,))


def test_time_batch_sizes_returns_one_row_per_size(workload):
    x, y, model_fn = workload
    calls = []

    def counting_model_fn():
        calls.append(1)
        return model_fn()

    result = time_batch_sizes(counting_model_fn, x, y, [32, 64, 128], epochs=2, repeats=3)
    assert [r.batch_size for r in result] == [32, 64, 128]
    assert [r.steps_per_epoch for r in result] == [8, 4, 2]
    assert len(calls) == 3  # a fresh model per batch size
    for r in result:
        assert len(r.repeat_seconds) == 3
        assert r.seconds_per_epoch == sorted(r.repeat_seconds)[1] > 0  # the median
        assert r.samples_per_second == pytest.approx(len(x) / r.seconds_per_epoch)


def test_time_batch_sizes_times_steady_state_epochs(workload, monkeypatch):
    """The first epoch of every fit (input pipeline start-up, tracing) must not count."""
    x, y, model_fn = workload
    now = [0.0]
    monkeypatch.setattr(batch_size, "_clock", lambda: now[0])
    fits = []

    def fake_fast_fit(model, x, y, batch_size, epochs, *, validation_data=None,
                      callbacks=None, verbose=0):
        """Like _fast_fit's callbacks see it: a slow first epoch, then 10 ms per step."""
        fits.append((batch_size, epochs))
        for epoch in range(epochs):
            for callback in callbacks:
                callback.on_epoch_begin(epoch, {})
            now[0] += 1.0 if epoch == 0 else 0.01 * math.ceil(len(x) / batch_size)
            for callback in callbacks:
                callback.on_epoch_end(epoch, {})

    monkeypatch.setattr(batch_size, "_fast_fit", fake_fast_fit)
    result = time_batch_sizes(model_fn, x, y, [32, 64], epochs=2, repeats=3)
    # in rounds, every fit one epoch longer than the timed ones
    assert fits == [(32, 3), (64, 3)] * 3
    assert [r.repeat_seconds for r in result] == [pytest.approx((0.08,) * 3),
                                                   pytest.approx((0.04,) * 3)]
    assert [r.seconds_per_epoch for r in result] == pytest.approx([0.08, 0.04])


def test_time_batch_sizes_can_report_the_fastest_repeat(workload):
    x, y, model_fn = workload
    (r,) = time_batch_sizes(model_fn, x, y, [64], epochs=1, repeats=3, statistic="min")
    assert r.seconds_per_epoch == min(r.repeat_seconds) > 0


def test_time_batch_sizes_accepts_a_partial_last_batch(workload):
    x, y, model_fn = workload
    (r,) = time_batch_sizes(model_fn, x[:100], y[:100], [32], epochs=1, repeats=1)
    assert r.steps_per_epoch == 4


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_sizes": []}, ValueError, "batch_sizes must contain"),
        ({"batch_sizes": 32}, TypeError, "batch_sizes must be a list"),
        ({"batch_sizes": "32"}, TypeError, "batch_sizes must be a list"),
        ({"batch_sizes": [32, 0]}, ValueError, r"batch_sizes\[1\]"),
        ({"batch_sizes": [-16]}, ValueError, r"batch_sizes\[0\]"),
        ({"batch_sizes": [16, 32.0]}, TypeError, r"batch_sizes\[1\]"),
        ({"batch_sizes": [16, True]}, TypeError, r"batch_sizes\[1\]"),
        ({"batch_sizes": [64, 32]}, ValueError, "strictly increasing"),
        ({"batch_sizes": [32, 32]}, ValueError, "strictly increasing"),
        ({"batch_sizes": [128, 512]}, ValueError, "must not exceed the number of samples"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 1.5}, TypeError, "epochs"),
        ({"repeats": 0}, ValueError, "repeats"),
        ({"repeats": None}, TypeError, "repeats"),
        ({"statistic": "mean"}, ValueError, "statistic must be 'median' or 'min'"),
    ],
)
def test_time_batch_sizes_rejects_bad_arguments(workload, kwargs, error, match):
    x, y, model_fn = workload
    called = []

    def spy():
        called.append(1)
        return model_fn()

    kwargs = {"batch_sizes": [16, 32], **kwargs}
    with pytest.raises(error, match=match):
        time_batch_sizes(spy, x, y, **kwargs)
    assert not called  # validated before any model is built


def test_time_batch_sizes_rejects_bad_model_fn_and_data(workload):
    x, y, model_fn = workload
    with pytest.raises(TypeError, match="model_fn"):
        time_batch_sizes(model_fn(), x, y, [16])  # a model, not a function
    with pytest.raises(ValueError, match="same number of samples"):
        time_batch_sizes(model_fn, x, y[:-1], [16])
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        time_batch_sizes(model_fn, bad, y, [16])
    with pytest.raises(TypeError, match="x must be array-like"):
        time_batch_sizes(model_fn, None, y, [16])


def test_time_batch_sizes_rejects_an_uncompiled_model(workload):
    import keras

    x, y, _ = workload
    with pytest.raises(ValueError, match="not compiled"):
        time_batch_sizes(
            lambda: keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)]), x, y, [16]
        )


def test_find_batch_size_limit_names_the_knee():
    # 16 -> 32 -> 64 halve the time; 128 is only 5 % faster than 64
    result = [row(16, 0.4), row(32, 0.2), row(64, 0.1), row(128, 0.095), row(256, 0.094)]
    assert find_batch_size_limit(result) == 64
    assert find_batch_size_limit(result, min_gain=0.02) == 128
    assert find_batch_size_limit(result, min_gain=1.5) == 32  # 0.2 / 0.094 - 1 < 1.5
    assert find_batch_size_limit(result, min_gain=4) == 16


def test_find_batch_size_limit_is_not_fooled_by_one_slow_measurement():
    # 64 was disturbed (slow), so 32 -> 64 looks like no gain, but 128 is much faster
    result = [row(16, 0.4), row(32, 0.2), row(64, 0.25), row(128, 0.05), row(256, 0.049)]
    assert find_batch_size_limit(result) == 128


def test_find_batch_size_limit_returns_none_when_every_step_pays():
    result = [row(16, 0.4), row(32, 0.2), row(64, 0.1)]
    assert find_batch_size_limit(result) is None


def test_find_batch_size_limit_rejects_bad_arguments():
    good = [row(16, 0.4), row(32, 0.2)]
    with pytest.raises(ValueError, match="at least two"):
        find_batch_size_limit(good[:1])
    with pytest.raises(ValueError, match="result must contain at least one"):
        find_batch_size_limit([])
    with pytest.raises(TypeError, match=r"result\[1\]"):
        find_batch_size_limit([good[0], {"batch_size": 32}])
    with pytest.raises(TypeError, match="result must be the list"):
        find_batch_size_limit("16,32")
    with pytest.raises(ValueError, match="strictly increasing"):
        find_batch_size_limit(good[::-1])
    with pytest.raises(ValueError, match="min_gain"):
        find_batch_size_limit(good, min_gain=0)
    with pytest.raises(ValueError, match="min_gain"):
        find_batch_size_limit(good, min_gain=float("nan"))
    with pytest.raises(TypeError, match="min_gain"):
        find_batch_size_limit(good, min_gain="10%")


def test_batch_timing_table():
    table = batch_timing_table([row(16, 0.4), row(32, 0.2), row(64, 0.19)])
    lines = table.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("| batch size | steps/epoch | ms/epoch")
    assert lines[2].startswith("| 16 | 256 | 400.0 |") and lines[2].endswith("|  |")
    assert "+100%" in lines[3]
    assert "+5%" in lines[4]
    with pytest.raises(ValueError):
        batch_timing_table([])


def test_doubling_helper():
    assert bs._doubling(16, 128) == [16, 32, 64, 128]
    assert bs._doubling(16, 200) == [16, 32, 64, 128]
    with pytest.raises(ValueError, match="stop"):
        bs._doubling(64, 32)


def test_command_line_prints_the_table(capsys):
    args = ["--samples", "256", "--features", "4", "--units", "8", "--layers", "1",
            "--start", "64", "--stop", "256", "--epochs", "1", "--repeats", "1"]
    assert bs.main(args) == 0
    out = capsys.readouterr().out
    assert "| batch size | steps/epoch" in out
    for size in ("| 64 | 4 |", "| 128 | 2 |", "| 256 | 1 |"):
        assert size in out
    assert "device:" in out


@pytest.mark.parametrize(
    ("seconds", "verdict"),
    [
        ((0.4, 0.2, 0.19), "Limit: past batch size 128, no bigger batch"),
        ((0.4, 0.2, 0.1), "No limit inside this sweep"),
    ],
)
def test_command_line_names_the_limit_it_measured(capsys, monkeypatch, seconds, verdict):
    rows = [row(size, s) for size, s in zip((64, 128, 256), seconds)]
    monkeypatch.setattr(bs, "time_batch_sizes", lambda *args, **kwargs: rows)
    args = ["--samples", "256", "--features", "4", "--units", "8", "--layers", "1",
            "--start", "64", "--stop", "256"]
    assert bs.main(args) == 0
    out = capsys.readouterr().out
    assert batch_timing_table(rows) in out
    assert verdict in out


def test_command_line_takes_explicit_sizes(capsys):
    args = ["--samples", "256", "--features", "4", "--units", "8", "--layers", "1",
            "--sizes", "100", "200", "--epochs", "1", "--repeats", "1"]
    assert bs.main(args) == 0
    out = capsys.readouterr().out
    assert "| 100 | 3 |" in out and "| 200 | 2 |" in out
    with pytest.raises(SystemExit) as exit_info:
        bs.main(["--samples", "256", "--sizes", "200", "100"])
    assert exit_info.value.code == 2
    assert "strictly increasing" in capsys.readouterr().err


def test_command_line_help_and_bad_arguments(capsys):
    with pytest.raises(SystemExit) as exit_info:
        bs.main(["--help"])
    assert exit_info.value.code == 0
    assert "--min-gain" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        bs.main(["--samples", "100", "--stop", "4096"])
    assert exit_info.value.code == 2
    assert "must not exceed the number of samples" in capsys.readouterr().err
