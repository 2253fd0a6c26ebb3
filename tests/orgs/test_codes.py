import pytest

from fazhi.orgs import codes


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "11100000000013127D", "91110000600037341L"],
)
def test_published_credit_codes_pass_the_check(code):
    assert codes.uscc_problem(code) is None


def test_a_wrong_check_character_is_named():
    problem = codes.uscc_problem("91110000600037341A")
    assert problem is not None
    assert problem.params == {"found": "A", "expected": "L"}


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9111000060003734", "18 characters"),
        ("91110000600037341I", "not allowed"),
        ("91AB0000600037341L", "must be digits"),
    ],
)
def test_malformed_credit_codes_are_refused(code, fragment):
    problem = codes.uscc_problem(code)
    assert problem is not None and fragment in problem.message


def test_made_credit_codes_are_valid_for_every_kind():
    for kind in codes.USCC_PREFIX:
        for serial in (1, 42, 99999999):
            assert codes.uscc_problem(codes.make_uscc(kind, "990101", serial)) is None


@pytest.mark.parametrize(
    ("code", "level", "ok"),
    [
        ("990000", "province", True),
        ("990100", "province", False),
        ("990100", "city", True),
        ("990101", "city", False),
        ("990101", "county", True),
        ("990100", "county", False),
        ("990101001", "township", True),
        ("990101000", "township", False),
        ("99010100", "township", False),
        ("990101001001", "village", True),
        ("99010100100a", "village", False),
    ],
)
def test_division_codes_by_level(code, level, ok):
    assert (codes.division_problem(code, level) is None) is ok
