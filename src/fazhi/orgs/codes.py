"""Organisation codes: administrative division codes and unified social credit codes.

Pure functions, no Django: each ``*_problem`` returns ``None`` for a valid code or a
:class:`~fazhi.core.problems.Problem` saying what is wrong with it.

* Administrative division codes (GB/T 2260 and its township/village extension): 2 digits of
  province, 2 of city, 2 of county (6 to county), 3 of township (9), 3 of village (12). A
  province's 6-digit code ends in 0000, a city's in 00.
* Unified social credit codes (統一社會信用代碼, GB 32100-2015): 18 characters from a
  31-character alphabet without I, O, S, V, Z; the 18th is a check character over the first 17.
"""

from __future__ import annotations

from fazhi.core.problems import Problem, gettext_noop

# GB 32100-2015: the code alphabet and the weights of positions 1..17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18

# GB 11714-1997: the organisation code embedded in positions 9..17 of a USCC.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

DIVISION_LENGTHS = {"province": 6, "city": 6, "county": 6, "township": 9, "village": 12}
# How many leading digits identify an area of each level (the rest are zeros or belong below).
DIVISION_PREFIX = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a USCC."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character for an 8-character organisation code body."""

    def value(ch: str) -> int:
        return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10

    check = 11 - sum(value(ch) * w for ch, w in zip(first8, _ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_problem(code: str) -> Problem | None:
    if len(code) != USCC_LENGTH:
        return Problem(
            gettext_noop("a unified social credit code has 18 characters, this one has %(length)d"),
            {"length": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        return Problem(
            gettext_noop("characters not allowed in a unified social credit code: %(chars)s"),
            {"chars": " ".join(bad)},
        )
    if not code[2:8].isdigit():
        return Problem(gettext_noop("characters 3–8 of a unified social credit code must be digits"))
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return Problem(
            gettext_noop("the check character is %(found)s but GB 32100-2015 requires %(expected)s"),
            {"found": code[17], "expected": expected},
        )
    return None


def division_problem(code: str, level: str) -> Problem | None:
    """Whether ``code`` is a well-formed division code for an area of ``level``."""
    length = DIVISION_LENGTHS[level]
    if not code.isdigit():
        return Problem(gettext_noop("an administrative division code has only digits"))
    if len(code) != length:
        return Problem(
            gettext_noop("this level's division code has %(expected)d digits, this one has %(length)d"),
            {"expected": length, "length": len(code)},
        )
    significant = DIVISION_PREFIX[level]
    if code[significant:] != "0" * (length - significant):
        return Problem(
            gettext_noop("this level's division code ends in %(zeros)d zeros"), {"zeros": length - significant}
        )
    width = 3 if level in ("township", "village") else 2
    if code[significant - width : significant] == "0" * width:
        return Problem(gettext_noop("this level's own digits of the division code cannot be all zeros"))
    return None


def division_prefix(code: str, level: str) -> str:
    """The leading digits that every area below this one shares."""
    return code[: DIVISION_PREFIX[level]]


# Registration authority and type (the first two characters) for the kinds of unit we make.
USCC_PREFIX = {"department": "11", "school": "12", "enterprise": "91", "other": "52"}


def make_uscc(kind: str, division: str, serial: int) -> str:
    """A well-formed USCC for a unit of ``kind`` registered in ``division`` (demo data, tests).

    The organisation-code part is ``serial`` as 8 digits with its GB 11714 check character.
    """
    body = str(serial % 10**8).zfill(8)
    first17 = USCC_PREFIX[kind] + division[:6] + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)
