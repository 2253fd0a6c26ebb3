"""``count_by_subtree``: the figures of many org subtrees from one grouped query, checked against counting each
subtree on its own (``subtree_q``), for random sets of orgs at every depth — few of them (one range each) and
many (the common ancestor's range)."""

from __future__ import annotations

import random

import pytest
from django.db.models import Q, Sum

from fazhi.metrics import subtrees
from fazhi.metrics.subtrees import count_by_subtree
from fazhi.orgs.models import Org, subtree_q
from fazhi.orgs.services import org_create

VILLAGES = Q(kind__in=["village", "community"])


@pytest.fixture
def bigger_tree(tree):
    """The test tree plus 3 townships of 8 villages each under 青山县 and 白水县."""
    for c, county in enumerate((tree.county, tree.other_county)):
        for t in range(3):
            township = org_create(
                actor=None, name=f"乡{c}{t}", kind="township", code=f"{county.code}{100 + t:03d}", parent=county
            )
            for v in range(8):
                kind = "village" if v % 3 else "community"
                org_create(
                    actor=None, name=f"村{c}{t}{v}", kind=kind, code=f"{township.code}{v + 1:03d}", parent=township
                )
    return tree


def expected(paths, *, summed=False):
    result = {}
    for path in paths:
        rows = Org.objects.filter(subtree_q(path))
        if summed:
            result[path] = (
                rows.filter(VILLAGES).aggregate(s=Sum("depth"))["s"] or 0,
                rows.aggregate(s=Sum("depth"))["s"] or 0,
            )
        else:
            result[path] = (rows.filter(VILLAGES).count(), rows.count())
    return result


@pytest.mark.parametrize("seed", range(6))
def test_many_subtrees_count_as_each_one_alone(bigger_tree, seed, monkeypatch):
    rng = random.Random(seed)
    all_paths = list(Org.objects.values_list("path", flat=True))
    paths = rng.sample(all_paths, rng.randint(1, len(all_paths)))
    if seed % 2:
        monkeypatch.setattr(subtrees, "MAX_RANGES", 2)  # force the common ancestor's single range
    got = count_by_subtree(Org.objects.all(), paths, numerator=VILLAGES, org_field="path")
    assert got == expected(paths)


def test_sums_roll_up_like_counts(bigger_tree):
    paths = [bigger_tree.province.path, bigger_tree.county.path, bigger_tree.township.path, bigger_tree.village.path]
    got = count_by_subtree(
        Org.objects.all(), paths, numerator=VILLAGES, org_field="path", numerator_sum="depth", denominator_sum="depth"
    )
    assert got == expected(paths, summed=True)


def test_a_subtree_without_records_is_zero_and_the_denominator_filter_applies(bigger_tree):
    got = count_by_subtree(
        Org.objects.filter(kind="department"),
        [bigger_tree.county.path, bigger_tree.village.path],
        numerator=Q(name__contains="司法"),
        denominator=Q(name__endswith="局"),
        org_field="path",
    )
    assert got == {bigger_tree.county.path: (1, 1), bigger_tree.village.path: (0, 0)}


def test_no_paths_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert count_by_subtree(Org.objects.all(), [], numerator=Q(), org_field="path") == {}


def test_an_empty_denominator_or_numerator_means_every_row(bigger_tree):
    county = bigger_tree.county.path
    all_rows = Org.objects.filter(subtree_q(county)).count()
    villages = Org.objects.filter(subtree_q(county)).filter(VILLAGES).count()
    got = count_by_subtree(Org.objects.all(), [county], numerator=VILLAGES, denominator=Q(), org_field="path")
    assert got == {county: (villages, all_rows)}
    got = count_by_subtree(Org.objects.all(), [county], numerator=Q(), denominator=VILLAGES, org_field="path")
    assert got == {county: (all_rows, villages)}


def test_only_the_paths_asked_are_answered_and_an_ancestor_outside_them_is_not_a_partial_total(bigger_tree):
    """Two townships' subtrees are counted; their county (not asked) has records in the rows counted but would be
    a partial total: it is not answered. The paths asked with no record read (0, 0)."""
    townships = list(Org.objects.filter(kind="township", parent=bigger_tree.county).order_by("path")[:2])
    paths = [t.path for t in townships] + [bigger_tree.other_county.path]
    got = count_by_subtree(
        Org.objects.filter(subtree_q(bigger_tree.county.path)), paths, numerator=VILLAGES, org_field="path"
    )
    assert got == expected([t.path for t in townships]) | {bigger_tree.other_county.path: (0, 0)}
    assert list(got) == paths and len(got) == 3
    assert bigger_tree.county.path not in got
    assert got.get(bigger_tree.county.path) is None and got.get(bigger_tree.county.path, (9, 9)) == (9, 9)
    with pytest.raises(KeyError):
        got[bigger_tree.county.path]
    assert got[bigger_tree.other_county.path] == (0, 0) == got.get(bigger_tree.other_county.path)
