"""Small counts withheld from figures for people outside BfE, so that no person can be inferred.

The approach is the cell suppression of official statistics (Destatis' "Geheimhaltung",
tau-ARGUS): a count from 1 to 4 is withheld (primary suppression, shown as "< 5"). The cells of a
breakdown add up to a total that is shown, so one small cell alone could be recovered by
subtraction: every breakdown with a small count also withholds its smallest other count
(secondary suppression, shown as "x"). If what is left shown would still pin a small count down to
one value, the breakdown is withheld as a whole. Zero is shown as 0.

The rule is fixed on purpose: how many cells are withheld depends only on what is shown, so
knowing the procedure tells nothing more about the withheld values than their ranges.

Differences between two periods are not covered: each request is protected on its own.
"""

THRESHOLD = 5
SMALL = "small"  # 1 to THRESHOLD - 1: shown as "< 5"
COMPLEMENTARY = "complementary"  # withheld so that a small cell stays hidden: shown as "x"


def is_small(count):
    return 0 < count < THRESHOLD


def withhold(counts, total, *, adds_up=True):
    """Which cells of a breakdown to withhold: a list with "", SMALL or COMPLEMENTARY per count,
    or None when the breakdown cannot be shown without giving a small count away.

    `total` is shown. `adds_up`: the counts add up to it (each item counted once); otherwise they
    add up to at least the total (an item may count in several cells, every item in one or more).
    """
    marks = [SMALL if is_small(count) else "" for count in counts]
    if SMALL not in marks:
        return marks
    others = [i for i, count in enumerate(counts) if count and not marks[i]]
    if others:
        marks[min(others, key=lambda i: (counts[i], i))] = COMPLEMENTARY
    if _narrowed_down(counts, marks, total, adds_up=adds_up):
        return None
    return marks


def _narrowed_down(counts, marks, total, *, adds_up):
    """Whether someone who sees the shown cells and the total, and knows this procedure, can tell
    a small cell's exact value.

    Withheld cells lie in a box (a small one in 1–4; a complementary one from 5 up to the counts
    still shown, as the smallest is withheld, the first of equal ones; none above the total),
    tied by one sum. For a box cut by one sum, each cell's possible values form the interval
    computed here, exactly.
    """
    shown = [count for count, mark in zip(counts, marks, strict=True) if not mark]
    hidden = []
    for k, mark in enumerate(marks):
        if mark == SMALL:
            hidden.append((1, min(THRESHOLD - 1, total), mark))
        elif mark == COMPLEMENTARY:
            below = [count - (j < k) for j, count in enumerate(counts) if count and not marks[j]]
            hidden.append((THRESHOLD, min([*below, total]), mark))
    rest = total - sum(shown)
    for i, (lowest, highest, mark) in enumerate(hidden):
        if mark != SMALL:
            continue
        others_low = sum(lo for j, (lo, _, _) in enumerate(hidden) if j != i)
        others_high = sum(hi for j, (_, hi, _) in enumerate(hidden) if j != i)
        floor = max(lowest, rest - others_high)
        ceiling = min(highest, rest - others_low) if adds_up else highest
        if floor >= ceiling:
            return True
    return False
