"""Subtree queries on a province-size organisation tree, as ratios to bare queries run beside them.

    uv run python bench/bench_province.py              # SQLite in var/bench/ (generated on first run)
    FAZHI_DATABASE_URL=postgres://… uv run python bench/bench_province.py

Generates the province (``fazhi.demo.province``, 57,931 organisations) if the database lacks it,
then times each query as the median of many runs and prints it as a ratio to two baselines
measured in the same run: a primary-key lookup (the cheapest query there is) and a count of the
whole table (a full scan). Ratios, not milliseconds, are what to compare between machines. It
also asks the database for each subtree query's plan and says whether the plan uses the index on
``orgs_org.path``; it exits non-zero if one does not. See bench/README.md and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    if not os.environ.get("FAZHI_DATABASE_URL"):
        os.environ.setdefault("FAZHI_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def median_seconds(run: Callable[[], object], *, budget: float, min_runs: int = 5, max_runs: int = 2000) -> float:
    """Median wall time of ``run``, repeated until ``budget`` seconds are spent (within the limits)."""
    run()  # warm the caches: every query is measured hot
    times: list[float] = []
    spent = 0.0
    while len(times) < max_runs and (len(times) < min_runs or spent < budget):
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        spent += elapsed
    return statistics.median(times)


def path_indexes() -> set[str]:
    """Names of the indexes whose first column is orgs_org.path."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM pragma_index_list('orgs_org')")
            names = [name for (name,) in cursor.fetchall()]
            found = set()
            for name in names:
                cursor.execute("SELECT name FROM pragma_index_info(%s) ORDER BY seqno LIMIT 1", [name])
                row = cursor.fetchone()
                if row and row[0] == "path":
                    found.add(name)
            return found
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'orgs_org' AND indexdef LIKE %s", ["%(path%"]
        )
        return {name for (name,) in cursor.fetchall()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=1.0, help="seconds to spend timing each query")
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from fazhi.demo.province import PROVINCE_CODE, PROVINCE_SIZE, province_generate
    from fazhi.orgs.models import Org, subtree_q
    from fazhi.orgs.selectors import org_children_page

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    db_dir = os.environ.get("FAZHI_VAR_DIR")
    if db_dir:
        Path(db_dir).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not Org.objects.filter(code=PROVINCE_CODE).exists():
        started = time.perf_counter()
        province_generate(size=PROVINCE_SIZE)
        print(f"generated {PROVINCE_SIZE.total:,} organisations in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orgs_org")

    province = Org.objects.get(code=PROVINCE_CODE)
    counties = list(Org.objects.filter(subtree_q(province.path), kind="county").order_by("path"))
    county = counties[len(counties) // 2]
    city = county.parent
    township = Org.objects.filter(parent=county, kind="township").order_by("path").last()
    village = Org.objects.filter(parent=township, kind__in=("village", "community")).order_by("path").last()
    total = Org.objects.count()
    villages = ("village", "community")
    print(f"table: {total:,} organisations; county {county.name} {county.code}, township {township.name}")
    print()

    baselines = {
        "primary-key lookup": lambda: Org.objects.filter(pk=village.pk).values_list("pk", "name").first(),
        # depth has no index: every row is read.
        "full scan (count by an unindexed column)": lambda: Org.objects.filter(depth__gte=1).count(),
    }
    subtree_queries = {
        "villages in a county subtree (count)": Org.objects.filter(subtree_q(county.path), kind__in=villages),
        "villages in a city subtree (count)": Org.objects.filter(subtree_q(city.path), kind__in=villages),
        "whole province subtree (count)": Org.objects.filter(subtree_q(province.path)),
        "a township's subtree (rows)": Org.objects.filter(subtree_q(township.path)).order_by("path"),
        "a village's ancestors (rows)": Org.objects.filter(path__in=village.ancestor_paths()).order_by("path"),
    }
    other_queries = {
        "a township's children (rows)": lambda: list(Org.objects.filter(parent=township).order_by("path")),
        "org_children_page(county), as the tree page": lambda: org_children_page(parent=county),
        "org_children_page(township), as the tree page": lambda: org_children_page(parent=township),
    }

    timings: dict[str, tuple[float, int | str]] = {}
    for name, run in baselines.items():
        timings[name] = (median_seconds(run, budget=args.budget), 1 if "lookup" in name else total)
    print(
        f"baselines: primary-key lookup {timings['primary-key lookup'][0] * 1e6:.0f} µs, full scan "
        f"{timings['full scan (count by an unindexed column)'][0] * 1e3:.1f} ms"
    )
    for name, qs in subtree_queries.items():
        if name.endswith("(count)"):
            rows = qs.count()
            timings[name] = (median_seconds(lambda qs=qs: qs.count(), budget=args.budget), rows)
        else:
            rows = len(list(qs))
            timings[name] = (median_seconds(lambda qs=qs: list(qs.all()), budget=args.budget), rows)
    for name, run in other_queries.items():
        result = run()
        rows = len(result) if isinstance(result, list) else len(result.orgs)
        timings[name] = (median_seconds(run, budget=args.budget), rows)

    pk_time = timings["primary-key lookup"][0]
    scan_time = timings["full scan (count by an unindexed column)"][0]
    width = max(len(name) for name in timings)
    print(f"{'query'.ljust(width)}  {'rows':>7}  {'× pk lookup':>11}  {'× full scan':>12}")
    for name, (seconds, rows) in timings.items():
        print(f"{name.ljust(width)}  {rows:>7,}  {seconds / pk_time:>11.1f}  {seconds / scan_time:>12.2f}")
    print()

    indexes = path_indexes()
    print(f"plans (path index: {', '.join(sorted(indexes))}):")
    missing = []
    for name, qs in subtree_queries.items():
        plan = (qs.order_by().only("pk") if name.endswith("(count)") else qs).explain()
        uses = any(index in plan for index in indexes)
        first = " | ".join(line.strip() for line in plan.splitlines()[:3])
        whole = name.startswith("whole province")  # a planner may rightly scan the table for it
        verdict = "uses the path index" if uses else ("scans the table" if whole else "NO PATH INDEX")
        print(f"  {verdict.ljust(19)}  {name}: {first}")
        if not uses and not whole:
            missing.append(name)
    if missing:
        print("subtree queries that do not use the path index: " + ", ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
