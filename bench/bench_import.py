"""How fast does the org import take 5,000 villages? Printed as ratios to a bare bulk insert run beside it.

    uv run python bench/bench_import.py [--villages 5000] [--repeat 3]

Runs on a throwaway SQLite database (WAL, as in production) holding the test tree of
``tests/factories.py``. The file holds 10 new townships under 青山县 and the villages spread
over them. Figures (best of ``--repeat``, each run rolled back):

* baseline: ``Org.objects.bulk_create`` of the same rows (townships, then villages), nothing else;
* check: reading the XLSX and checking every row (a dry run);
* import: the whole import (read, check, ``org_bulk_create`` with paths and one audit event per org);
* of which audit: the same import with the audit events switched off, to show their share;
* per-row org_create: the one-by-one service on a tenth of the villages, scaled up.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    os.environ["FAZHI_VAR_DIR"] = var_dir
    os.environ["FAZHI_TASKS_BACKEND"] = "immediate"
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    os.environ.setdefault("FAZHI_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Rollback(Exception):
    pass


def timed(fn, repeat: int) -> float:
    """Best wall time of ``fn`` over ``repeat`` runs, each inside a transaction that is rolled back."""
    from django.db import transaction

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            with transaction.atomic():
                fn()
                best = min(best, time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        run(args.villages, args.repeat)


def run(villages: int, repeat: int) -> None:
    from django.db import connection
    from django.utils import translation

    from fazhi.core.imports import import_run
    from fazhi.orgs import services
    from fazhi.orgs.importers import OrgImporter
    from fazhi.orgs.models import Org
    from fazhi.orgs.services import org_create
    from tests.factories import build_personas, build_tree
    from tests.spreadsheets import make_xlsx

    translation.activate("zh-hans")
    tree = build_tree()
    admin = build_personas(tree)["county_admin"]
    townships = [(f"新区{t}镇", f"990101{t + 3:03d}") for t in range(10)]
    per_town = -(-villages // len(townships))
    village_rows = [
        (f"{name[:-1]}{v + 1}村", f"{code}{v + 1:03d}", code) for name, code in townships for v in range(per_town)
    ][:villages]
    rows = [["名称", "类型", "代码", "上级代码"]]
    rows += [[name, "乡镇", code, tree.county.code] for name, code in townships]
    rows += [[name, "村", code, parent] for name, code, parent in village_rows]
    data = make_xlsx(rows)

    def baseline():
        towns = Org.objects.bulk_create(
            [Org(name=n, kind="township", code=c, parent=tree.county, level=4, depth=4) for n, c in townships]
        )
        by_code = {t.code: t for t in towns}
        Org.objects.bulk_create(
            [Org(name=n, kind="village", code=c, parent=by_code[p], level=5, depth=5) for n, c, p in village_rows],
            batch_size=500,
        )

    def check_only():
        result = import_run(OrgImporter(actor=admin), data, dry_run=True)
        assert result.ok, result.errors[:3]

    def full_import():
        result = import_run(OrgImporter(actor=admin), data)
        assert result.ok, result.errors[:3]
        assert Org.objects.filter(code=village_rows[-1][1]).exists()

    def full_import_without_audit():
        real = services.audit_record_many
        services.audit_record_many = lambda **kwargs: 0
        try:
            full_import()
        finally:
            services.audit_record_many = real

    sample = village_rows[: max(1, len(village_rows) // 10)]

    def per_row_service():
        towns = {}
        for name, code in townships:
            towns[code] = org_create(actor=admin, name=name, kind="township", code=code, parent=tree.county)
        for name, code, parent in sample:
            org_create(actor=admin, name=name, kind="village", code=code, parent=towns[parent])

    total_rows = len(rows) - 1
    t_base = timed(baseline, repeat)
    t_check = timed(check_only, repeat)
    t_import = timed(full_import, repeat)
    t_no_audit = timed(full_import_without_audit, repeat)
    t_per_row = timed(per_row_service, 1) * (len(village_rows) / len(sample))

    print(f"org import of {total_rows:,} rows ({len(townships)} townships, {len(village_rows):,} villages)")
    print(f"database: {connection.vendor}, best of {repeat}")
    print(f"  baseline bulk_create          {t_base:7.3f} s   1.0×")
    print(f"  read + check (dry run)        {t_check:7.3f} s  {t_check / t_base:5.1f}×")
    print(f"  whole import                  {t_import:7.3f} s  {t_import / t_base:5.1f}×")
    print(f"  whole import, audit off       {t_no_audit:7.3f} s  {t_no_audit / t_base:5.1f}×")
    print(f"  org_create per row (scaled)   {t_per_row:7.3f} s  {t_per_row / t_base:5.1f}×")
    print(f"  import rate                   {total_rows / t_import:7.0f} rows/s")


if __name__ == "__main__":
    main()
