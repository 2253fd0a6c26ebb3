"""A province-size organisation tree for benchmarks, written with bulk inserts.

``fazhi demo --scale province`` calls :func:`province_generate` with :data:`PROVINCE_SIZE`:
北原省 (code 970000) with 10 cities, 100 counties, 2,000 townships and 50,000 villages and
communities, and the departments, schools and enterprises of their governments (57,931
organisations in all). Creating each through ``org_create`` would take one transaction and one
audit event per row; instead the generator plans every row in memory, checks each against the
same pure rules the service applies (:func:`fazhi.orgs.rules.placement_problem` and
:func:`~fazhi.orgs.rules.code_problem`), reserves the primary keys up front so that each row's
materialized path (its parent's path + :func:`~fazhi.orgs.models.path_segment` of its own id)
is known before it is written, and inserts level by level with ``bulk_create``. The rows are
the same shape the service writes (kind, level, depth, path, code); one audit event records
the generation. All of it is one transaction.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.demo.names import COUNTY_DEPARTMENTS, COUNTY_SCHOOLS, ENTERPRISE_TRADES, TOWNSHIP_UNITS, NamePicker
from fazhi.orgs import rules
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Org, path_segment

PROVINCE_NAME = "北原省"
PROVINCE_CODE = "970000"

# Limits that keep every division code inside its own digits (see _district_split and friends).
_LIMITS = {
    "cities": 99,
    "counties_per_city": 80,
    "townships_per_county": 150,
    "villages_per_township": 199,
    "departments_per_city": len(COUNTY_DEPARTMENTS),
    "departments_per_county": len(COUNTY_DEPARTMENTS),
    "schools_per_county": len(COUNTY_SCHOOLS),
    "enterprises_per_county": len(ENTERPRISE_TRADES),
    "units_per_township": len(TOWNSHIP_UNITS),
}


@dataclass(frozen=True)
class ProvinceSize:
    """How many of each organisation to generate (per parent)."""

    cities: int = 10
    counties_per_city: int = 10
    townships_per_county: int = 20
    villages_per_township: int = 25
    departments_per_city: int = 12
    departments_per_county: int = 12
    schools_per_county: int = 3
    enterprises_per_county: int = 2
    units_per_township: int = 2

    def __post_init__(self):
        for item in fields(self):
            value, limit = getattr(self, item.name), _LIMITS[item.name]
            minimum = 1 if item.name in ("cities", "counties_per_city", "townships_per_county") else 0
            if not minimum <= value <= limit:
                raise ValueError(f"{item.name}={value} is outside {minimum}..{limit}")

    @property
    def counties(self) -> int:
        return self.cities * self.counties_per_city

    @property
    def townships(self) -> int:
        return self.counties * self.townships_per_county

    @property
    def villages(self) -> int:
        return self.townships * self.villages_per_township

    @property
    def total(self) -> int:
        return (
            1
            + self.cities * (1 + self.departments_per_city)
            + self.counties * (1 + self.departments_per_county + self.schools_per_county + self.enterprises_per_county)
            + self.townships * (1 + self.units_per_township)
            + self.villages
        )


PROVINCE_SIZE = ProvinceSize()


@dataclass
class Row:
    """One planned organisation; ``group`` says which insert batch (and progress line) it joins."""

    pk: int
    parent: Row | None
    kind: str
    name: str
    code: str
    group: str
    path: str = ""
    depth: int = 1
    level: int = 0

    def __post_init__(self):
        parent = self.parent
        self.path = (parent.path if parent else "") + path_segment(self.pk)
        self.depth = parent.depth + 1 if parent else 1
        self.level = rules.level_of(self.kind, parent.level if parent else None)


# Insert batches, top-down, in the order they are written and reported.
GROUPS = ("province", "cities", "counties", "townships", "villages")


def _district_split(n: int) -> int:
    """How many of a city's n county-level areas are urban districts (区, codes 01-20)."""
    return min(20, max(1, n // 4))


def _township_codes(n: int, *, urban: bool) -> Iterator[tuple[str, str]]:
    """(3-digit code, suffix) for n townships: subdistricts 001-, towns 101-, townships 201-."""
    streets = n // 2 if urban else n // 5
    towns = n - streets if urban else n // 2
    for i in range(streets):
        yield f"{i + 1:03d}", "街道"
    for i in range(towns):
        yield f"{101 + i:03d}", "镇"
    for i in range(n - streets - towns):
        yield f"{201 + i:03d}", "乡"


def _village_codes(n: int, township_suffix: str) -> Iterator[tuple[str, str]]:
    """(3-digit code, kind) for n villages: communities 001-199, villages 200-399 (as in GB/T 10114)."""
    communities = n if township_suffix == "街道" else (min(n, max(1, n // 5)) if township_suffix == "镇" else 0)
    for i in range(communities):
        yield f"{i + 1:03d}", "community"
    for i in range(n - communities):
        yield f"{201 + i:03d}", "village"


class _Planner:
    def __init__(self, size: ProvinceSize, pks: Iterator[int], seed: int):
        self.size = size
        self.pks = pks
        self.rng = random.Random(seed)
        self.serial = 0
        self.groups: dict[str, list[Row]] = {group: [] for group in GROUPS}

    def add(self, group: str, parent: Row | None, kind: str, name: str, code: str) -> Row:
        row = Row(next(self.pks), parent, kind, name, code, group)
        self.groups[group].append(row)
        return row

    def unit(self, group: str, parent: Row, kind: str, name: str) -> Row:
        self.serial += 1
        return self.add(group, parent, kind, name, make_uscc(kind, parent.code[:6], self.serial))

    def plan(self, name: str, code: str) -> dict[str, list[Row]]:
        size = self.size
        province = self.add("province", None, "province", name, code)
        city_names, county_names = NamePicker(self.rng), NamePicker(self.rng)
        for c in range(size.cities):
            city_name = city_names.stem("市") + "市"
            city = self.add("cities", province, "city", city_name, f"{code[:2]}{c + 1:02d}00")
            for department in COUNTY_DEPARTMENTS[: size.departments_per_city]:
                self.unit("cities", city, "department", city_name + department)
            districts = _district_split(size.counties_per_city)
            for k in range(size.counties_per_city):
                urban = k < districts
                suffix = "区" if urban else "县"
                number = k + 1 if urban else 21 + k - districts
                county_name = county_names.stem(suffix) + suffix
                county = self.add("counties", city, "county", county_name, f"{city.code[:4]}{number:02d}")
                self.plan_county(county, urban=urban)
        return self.groups

    def plan_county(self, county: Row, *, urban: bool) -> None:
        size = self.size
        for department in COUNTY_DEPARTMENTS[: size.departments_per_county]:
            self.unit("counties", county, "department", county.name + department)
        for school in COUNTY_SCHOOLS[: size.schools_per_county]:
            self.unit("counties", county, "school", county.name + school)
        for trade in ENTERPRISE_TRADES[: size.enterprises_per_county]:
            self.unit("counties", county, "enterprise", county.name[:-1] + trade)
        names = NamePicker(self.rng)
        for digits, suffix in _township_codes(size.townships_per_county, urban=urban):
            township_name = names.stem(suffix) + suffix
            township = self.add("townships", county, "township", township_name, county.code + digits)
            for unit in TOWNSHIP_UNITS[: size.units_per_township]:
                self.unit("townships", township, "department", township_name + unit)
            self.plan_villages(township, suffix)

    def plan_villages(self, township: Row, township_suffix: str) -> None:
        names = NamePicker(self.rng)
        for digits, kind in _village_codes(self.size.villages_per_township, township_suffix):
            suffix = "社区" if kind == "community" else "村"
            self.add("villages", township, kind, names.stem(suffix) + suffix, township.code + digits)


def province_plan(
    size: ProvinceSize, *, pks: list[int], name: str = PROVINCE_NAME, code: str = PROVINCE_CODE, seed: int = 2026
) -> dict[str, list[Row]]:
    """Every row of the province, by insert group, with ids taken from ``pks`` in order."""
    if len(pks) < size.total:
        raise ValueError(f"{size.total} ids are needed, {len(pks)} given")
    return _Planner(size, iter(pks), seed).plan(name, code)


def plan_problems(groups: dict[str, list[Row]]) -> list[str]:
    """What the service's rules would refuse in the plan (an empty list for a sound generator)."""
    problems, seen = [], set()
    for rows in groups.values():
        for row in rows:
            parent_kind = row.parent.kind if row.parent else None
            problem = rules.placement_problem(row.kind, parent_kind) or rules.code_problem(
                row.kind, row.code, parent_kind=parent_kind, parent_code=row.parent.code if row.parent else None
            )
            if problem:
                problems.append(f"{row.name} {row.code}: {problem}")
            if row.code in seen:
                problems.append(f"{row.name} {row.code}: duplicate code")
            seen.add(row.code)
    return problems


def _reserve_pks(count: int) -> list[int]:
    """Ids no other writer can take: from the sequence on PostgreSQL; on SQLite the transaction
    already holds the database's write lock (BEGIN IMMEDIATE), so the ids above the largest are free."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Org._meta.db_table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
    start = (Org.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return list(range(start, start + count))


ProgressFn = Callable[[str, int, int], None]
BATCH = 2000


def _insert(rows: list[Row], *, group: str, progress: ProgressFn) -> None:
    now = timezone.now()
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        Org.objects.bulk_create(
            [
                Org(
                    pk=row.pk,
                    name=row.name,
                    kind=row.kind,
                    level=row.level,
                    code=row.code,
                    parent_id=row.parent.pk if row.parent else None,
                    path=row.path,
                    depth=row.depth,
                    created_at=now,
                    updated_at=now,
                )
                for row in batch
            ]
        )
        progress(group, start + len(batch), len(rows))


@transaction.atomic
def province_generate(
    *,
    size: ProvinceSize = PROVINCE_SIZE,
    name: str = PROVINCE_NAME,
    code: str = PROVINCE_CODE,
    seed: int = 2026,
    progress: ProgressFn | None = None,
) -> Counter:
    """Generate a province of ``size``; returns how many organisations of each kind were written."""
    report = progress or (lambda group, done, total: None)
    if Org.objects.filter(code=code).exists():
        raise DomainError(
            _("Province %(code)s already exists; start from an empty database (fazhi demo --reset).") % {"code": code},
            rule="demo.province_exists",
        )
    report("planning", 0, size.total)
    groups = province_plan(size, pks=_reserve_pks(size.total), name=name, code=code, seed=seed)
    problems = plan_problems(groups)
    if problems:  # a bug in the generator, never the user's input
        raise RuntimeError("the province generator planned invalid rows: " + "; ".join(problems[:5]))
    report("planning", size.total, size.total)
    try:
        for group in GROUPS:
            _insert(groups[group], group=group, progress=report)
    except IntegrityError as exc:
        raise DomainError(
            _("The generated codes clash with organisations already in the database (%(error)s).") % {"error": exc},
            rule="demo.province_clash",
        ) from None
    if connection.vendor == "postgresql":  # fresh statistics, so the planner sees the new rows
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Org._meta.db_table)}")
    kinds = Counter(row.kind for rows in groups.values() for row in rows)
    province = Org.objects.get(pk=groups["province"][0].pk)
    audit_record(
        action="demo.province.generated",
        obj=province,
        new={"size": {f.name: getattr(size, f.name) for f in fields(size)}, "orgs": dict(kinds), "seed": seed},
    )
    return kinds
