"""The shared argument checks (course_utils._checks): right values pass, wrong ones are named."""

import numpy as np
import pytest

from course_utils._checks import check_choice, check_int, check_sequence, check_str


def test_check_choice_returns_the_matching_choice():
    assert check_choice("statistic", "min", ("median", "min")) == "min"
    assert check_choice("verbose", 2, (0, 1, 2)) == 2
    assert check_choice("verbose", np.int64(1), (0, 1, 2)) == 1
    assert check_choice("flag", True, (True, "auto")) is True


@pytest.mark.parametrize(
    ("value", "choices", "message"),
    [
        ("mean", ("median", "min"), "statistic must be 'median' or 'min', got 'mean' (str)"),
        (3, (0, 1, 2), "statistic must be 0, 1 or 2, got 3 (int)"),
        ("2", (0, 1, 2), "statistic must be 0, 1 or 2, got '2' (str)"),
        (True, (0, 1, 2), "statistic must be 0, 1 or 2, got True (bool)"),  # True == 1
        (np.bool_(False), (0, 1), "statistic must be 0 or 1, got"),
        (None, ("student",), "statistic must be 'student', got None"),
        (np.array([1, 2]), (1, 2), "statistic must be 1 or 2, got array"),
        ([1], (1, 2), "statistic must be 1 or 2, got [1] (list)"),
    ],
)
def test_check_choice_names_the_argument_and_the_choices(value, choices, message):
    with pytest.raises(ValueError) as info:
        check_choice("statistic", value, choices)
    assert str(info.value).startswith(message)


def test_check_sequence_accepts_lists_tuples_and_1d_arrays():
    assert check_sequence("sizes", [1, 2]) == [1, 2]
    assert check_sequence("sizes", (1,)) == [1]
    assert check_sequence("sizes", np.array([4, 8]), item=check_int) == [4, 8]
    assert check_sequence("sizes", [], min_len=0) == []


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("16", TypeError, "sizes must be a list of sizes, got '16' (str)"),
        (b"16", TypeError, "sizes must be a list of sizes, got b'16' (bytes)"),
        ({"a": 1}, TypeError, "sizes must be a list of sizes, got {'a': 1} (dict)"),
        (16, TypeError, "sizes must be a list of sizes, got 16 (int)"),
        (None, TypeError, "sizes must be a list of sizes, got None"),
        (np.zeros((2, 2)), TypeError, "sizes must be a list of sizes, got array"),
        ({1, 2}, TypeError, "sizes must be a list of sizes, got {1, 2} (set)"),
        ([], ValueError, "sizes must contain at least one item, got an empty list"),
    ],
)
def test_check_sequence_rejects_what_is_not_a_list(value, error, message):
    with pytest.raises(error) as info:
        check_sequence("sizes", value, what="a list of sizes")
    assert str(info.value).startswith(message)


def test_check_sequence_counts_and_names_items():
    with pytest.raises(ValueError, match="sizes must contain at least 3 items, got 2"):
        check_sequence("sizes", [1, 2], min_len=3)
    with pytest.raises(TypeError, match=r"sizes\[1\] must be an integer"):
        check_sequence("sizes", [1, 2.5], item=check_int)
    with pytest.raises(ValueError, match=r"sizes\[0\] must be an integer >= 1, got 0"):
        check_sequence("sizes", [0], item=check_int)


def test_check_str():
    assert check_str("metric", "loss") == "loss"
    for bad in ("", None, 3, ["loss"]):
        with pytest.raises(TypeError, match="metric must be a non-empty string such as 'loss'"):
            check_str("metric", bad)
