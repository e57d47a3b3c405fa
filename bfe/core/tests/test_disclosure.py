"""Small counts withheld from people outside BfE: no small count can be recovered from what is
shown, even by someone who knows the procedure and does the arithmetic with the totals."""

import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bfe.conftest import IN_CI
from bfe.core.disclosure import COMPLEMENTARY, SMALL, THRESHOLD, withhold

EXPLORE = settings(max_examples=300, deadline=None, derandomize=IN_CI)


def test_a_count_below_five_is_withheld_with_the_next_smallest_so_the_sum_does_not_give_it():
    assert withhold([12, 2, 30], 44) == [COMPLEMENTARY, SMALL, ""]


def test_counts_of_five_and_more_and_zeros_are_shown():
    assert withhold([5, 0, 30], 35) == ["", "", ""]


def test_every_breakdown_with_small_counts_withholds_the_next_smallest_too():
    # Else 1 + 1 = 2 would leave no choice: each is 1. The rule does not look at the values.
    assert withhold([1, 1, 30], 32) == [SMALL, SMALL, COMPLEMENTARY]
    assert withhold([3, 2, 30, 7], 42) == [SMALL, SMALL, "", COMPLEMENTARY]


def test_a_breakdown_that_cannot_hide_its_small_count_is_withheld_as_a_whole():
    # 6 = small + complementary, and a complementary cell is at least 5: the small one is 1.
    assert withhold([1, 5, 0], 6) is None


def test_counts_that_add_up_to_more_than_the_total_keep_a_small_one_hidden_when_they_can():
    # Topics: a consultation counts for each of its topics, and has at least one.
    assert withhold([6, 4], 10, adds_up=False) == [COMPLEMENTARY, SMALL]
    assert withhold([20, 4, 9], 20, adds_up=False) == ["", SMALL, COMPLEMENTARY]


def consistent_breakdowns(shown, total, *, adds_up):
    """Every breakdown that shows exactly like `shown` for this total: what the procedure
    reveals to someone who knows it. Withheld values are tried from 1 to 4 (small) and from 5
    up to the total (complementary)."""
    marks = withhold(shown, total, adds_up=adds_up)
    choices = []
    for count, mark in zip(shown, marks, strict=True):
        if mark == SMALL:
            choices.append(range(1, THRESHOLD))
        elif mark == COMPLEMENTARY:
            choices.append(range(THRESHOLD, total + 1))
        else:
            choices.append([count])
    for candidate in itertools.product(*choices):
        if adds_up:
            fits = sum(candidate) == total
        else:  # no cell counts more items than there are
            fits = sum(candidate) >= total and max(candidate) <= total
        if fits and withhold(list(candidate), total, adds_up=adds_up) == marks:
            yield candidate


def assert_no_small_count_is_recovered(counts, total, *, adds_up):
    marks = withhold(counts, total, adds_up=adds_up)
    if marks is None:
        return  # nothing of the breakdown is shown
    assert all(mark for count, mark in zip(counts, marks, strict=True) if 0 < count < THRESHOLD)
    candidates = list(consistent_breakdowns(counts, total, adds_up=adds_up))
    assert tuple(counts) in candidates
    for i, mark in enumerate(marks):
        if mark == SMALL:
            assert len({candidate[i] for candidate in candidates}) >= 2, (counts, marks)


@EXPLORE
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4))
@example([1, 5, 5])
@example([2, 6, 5])
@example([4, 5, 9])
@example([1, 1, 1, 1])
@example([2, 7, 0, 0])
def test_no_small_count_can_be_recovered_from_a_breakdown_and_its_total(counts):
    assert_no_small_count_is_recovered(counts, sum(counts), adds_up=True)


@EXPLORE
@given(
    st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=3),
    st.integers(min_value=0, max_value=10),
)
@example([6, 4], 10)
@example([1], 0)
def test_no_small_count_can_be_recovered_from_overlapping_counts_and_their_total(counts, extra):
    # Every item counts at least once: the total lies between the largest count and the sum.
    total = max(counts) + min(extra, sum(counts) - max(counts))
    assert_no_small_count_is_recovered(counts, total, adds_up=False)
