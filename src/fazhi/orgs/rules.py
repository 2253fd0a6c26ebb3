"""Where an organisation may stand in the tree and which code it must carry. Pure, no Django.

Areas form the administrative spine: province › city › county › township › village or
community. Units (departments, schools, enterprises and other units) hang under an area's
government or under another unit, and take the level of what they hang under.
"""

from __future__ import annotations

from fazhi.core.problems import Problem, gettext_noop
from fazhi.orgs import codes

# Administrative levels, from the top.
PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE = 1, 2, 3, 4, 5
LEVEL_NAMES = {PROVINCE: "province", CITY: "city", COUNTY: "county", TOWNSHIP: "township", VILLAGE: "village"}

AREA_LEVEL = {
    "province": PROVINCE,
    "city": CITY,
    "county": COUNTY,
    "township": TOWNSHIP,
    "village": VILLAGE,
    "community": VILLAGE,
}
UNIT_KINDS = ("department", "school", "enterprise", "other")
KINDS = (*AREA_LEVEL, *UNIT_KINDS)

# The kind of area an area of each kind must hang under (None: it is a root).
AREA_PARENT = {
    "province": None,
    "city": "province",
    "county": "city",
    "township": "county",
    "village": "township",
    "community": "township",
}


# What an area placed wrongly is told, one message per kind (a kind's name cannot be translated
# inside a pure module, so each sentence is whole).
AREA_PARENT_MESSAGE = {
    "province": gettext_noop("a province is a root of the tree and has no parent"),
    "city": gettext_noop("a city must hang under a province"),
    "county": gettext_noop("a county or district must hang under a city"),
    "township": gettext_noop("a township or subdistrict must hang under a county or district"),
    "village": gettext_noop("a village must hang under a township"),
    "community": gettext_noop("a community must hang under a township"),
}


def is_area(kind: str) -> bool:
    return kind in AREA_LEVEL


def level_of(kind: str, parent_level: int | None) -> int:
    """An area's own level; a unit takes the level of what it hangs under."""
    if is_area(kind):
        return AREA_LEVEL[kind]
    if parent_level is None:
        raise ValueError("a unit needs a parent")
    return parent_level


def placement_problem(kind: str, parent_kind: str | None) -> Problem | None:
    """Whether an organisation of ``kind`` may hang under one of ``parent_kind`` (None: a root)."""
    if kind not in KINDS:
        return Problem(gettext_noop("unknown kind of organisation: %(kind)s"), {"kind": kind})
    if is_area(kind):
        if parent_kind == AREA_PARENT[kind]:
            return None
        return Problem(AREA_PARENT_MESSAGE[kind])
    if parent_kind is None:
        return Problem(gettext_noop("a unit must hang under an area's government or another unit"))
    return None


def code_problem(kind: str, code: str, *, parent_kind: str | None, parent_code: str | None) -> Problem | None:
    """Whether ``code`` is the right kind of code for the organisation and fits its parent.

    Areas carry a division code of their level that begins with their parent area's own
    digits (a township of county 410322 is 410322xxx); units carry a valid USCC.
    """
    if not code:
        return Problem(gettext_noop("the code is required"))
    if not is_area(kind):
        return codes.uscc_problem(code)
    level_name = LEVEL_NAMES[AREA_LEVEL[kind]]
    problem = codes.division_problem(code, level_name)
    if problem or parent_kind is None or not is_area(parent_kind) or parent_code is None:
        return problem
    prefix = codes.division_prefix(parent_code, LEVEL_NAMES[AREA_LEVEL[parent_kind]])
    if not code.startswith(prefix):
        return Problem(
            gettext_noop("division code %(code)s does not begin with its parent's digits %(prefix)s"),
            {"code": code, "prefix": prefix},
        )
    return None
