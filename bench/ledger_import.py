"""Importing 100,000 normative documents, as a ratio to reading the same file and a bare insert of its rows.

    uv run python bench/ledger_import.py                   # 100,000 rows on a throwaway SQLite database
    uv run python bench/ledger_import.py --rows 20000      # smaller
    uv run python bench/ledger_import.py --repeat 3        # both halves three times, alternately: the fastest of each
    FAZHI_DATABASE_URL=postgres://… uv run python bench/ledger_import.py

Builds the test tree of ``tests/factories.py`` (青山县 and its units) in an empty database, and an XLSX of
``--rows`` published documents (openpyxl, write-only) spread over the county's organisations and the years
2021–2026: each with its comment period, legality review, collective decision, registration (gap-free serials
per registering office and year), document number, validity, publication and filing. Then, in the same run,
each inside a transaction that is rolled back afterwards:

- **import**: ``import_run(DocumentImporter(actor=county_admin), data)`` — the foundation's framework: read the
  sheet, parse every cell, check every row (dates in order, comment period, review and decision before
  registration, validity, unique document numbers, gap-free registration numbers, the working-day review clock,
  the importer's scope), write all rows in one transaction with their audit events;
- **bare**: ``python-calamine`` reads the same sheet, and ``Document.objects.bulk_create`` inserts the same rows
  (the organisation codes looked up once in a dict), in one transaction, with no check and no audit.

Prints both, wall and CPU time of this process, and their ratios (target ≤ 2); with ``--repeat N`` it runs the two
halves N times alternately and also compares the fastest of each. Not a test; record the figures in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEADERS = (
    "制定机关代码",
    "文件名称",
    "暂行或试行",
    "涉及权利义务",
    "起草日期",
    "征求意见开始",
    "征求意见结束",
    "送审日期",
    "审核意见日期",
    "审核结论",
    "集体审议日期",
    "审议会议",
    "登记机关代码",
    "登记日期",
    "登记序号",
    "发文字号前缀",
    "发文序号",
    "施行日期",
    "有效期至",
    "公布日期",
    "公布载体",
    "备案日期",
    "备案审查结论",
)
SUBJECTS = (
    "城市道路管理",
    "农村宅基地管理",
    "行政事业性收费管理",
    "政府投资项目管理",
    "城乡环境卫生管理",
    "防汛抗旱应急",
)
YEARS = range(2021, 2027)


def setup_django(var_dir: str | None) -> None:
    if var_dir is not None:
        os.environ["FAZHI_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    os.environ["FAZHI_TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("FAZHI_LOG_LEVEL", "WARNING")
    # As in production: DEBUG off (with it on, Django keeps and formats every query's SQL, a cost on bulk inserts).
    os.environ.setdefault("FAZHI_DEBUG", "0")
    os.environ.setdefault("FAZHI_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "localhost")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # tests.factories builds the tree and the importing administrator
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def say(message: str) -> None:
    print(message, flush=True)


class Rollback(Exception):
    pass


def rolled_back(fn) -> tuple[float, float]:
    """Wall time and this process's CPU time of ``fn`` inside a transaction that is then rolled back (the table is
    the same for the next run). On a shared machine the CPU time varies much less than the wall time; on SQLite
    all the work is in this process, on PostgreSQL the server's share is only in the wall time."""
    from django.db import transaction

    start, cpu = time.perf_counter(), time.process_time()
    elapsed = (0.0, 0.0)
    try:
        with transaction.atomic():
            fn()
            elapsed = (time.perf_counter() - start, time.process_time() - cpu)
            raise Rollback
    except Rollback:
        pass
    return elapsed


def make_rows(count: int, orgs: list[str], office: str) -> list[list]:
    """``count`` published documents: serials counted per (office, year) and per (org, year), so none clashes."""
    registration: dict[int, int] = {}
    numbers: dict[tuple[str, int], int] = {}
    rows = []
    for i in range(count):
        year = YEARS[i % len(YEARS)]
        org = orgs[(i // len(YEARS)) % len(orgs)]
        drafted = dt.date(year, 1, 4) + dt.timedelta(days=(i // 7) % 200)
        comment_start = drafted + dt.timedelta(days=10)
        comment_end = comment_start + dt.timedelta(days=30)
        submitted = comment_end + dt.timedelta(days=3)
        reported = submitted + dt.timedelta(days=12)
        decided = reported + dt.timedelta(days=5)
        registered = decided + dt.timedelta(days=3)
        published = registered + dt.timedelta(days=2)
        effective = published + dt.timedelta(days=10)
        expires = effective.replace(year=effective.year + 3) - dt.timedelta(days=1)
        filed = published + dt.timedelta(days=15 + i % 30)  # some late (the 30-day rule is flagged, not refused)
        registration[year] = registration.get(year, 0) + 1
        numbers[(org, year)] = numbers.get((org, year), 0) + 1
        rows.append(
            [
                org,
                f"青山县{SUBJECTS[i % len(SUBJECTS)]}办法（第{i + 1}号）",
                "否",
                "是",
                drafted,
                comment_start,
                comment_end,
                submitted,
                reported,
                "通过",
                decided,
                f"县政府第{i % 40 + 1}次常务会议",
                office,
                registered,
                registration[year],
                "青政规",
                numbers[(org, year)],
                effective,
                expires,
                published,
                "政府网站",
                filed,
                "符合",
            ]
        )
    return rows


def make_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("规范性文件")
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bare_insert(data: bytes) -> int:
    """Read the sheet with python-calamine and insert its rows with bulk_create: no check, no audit."""
    from python_calamine import CalamineWorkbook

    from fazhi.ledgers.documents.models import Document
    from fazhi.orgs.models import Org

    cells = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("规范性文件").to_python()
    index = {header: n for n, header in enumerate(cells[0])}
    codes = {row[index["制定机关代码"]] for row in cells[1:]} | {row[index["登记机关代码"]] for row in cells[1:]}
    org_ids = dict(Org.objects.filter(code__in=codes).values_list("code", "pk"))

    def day(value):
        return value.date() if isinstance(value, dt.datetime) else value

    documents = []
    for row in cells[1:]:
        cell = {header: row[n] for header, n in index.items()}
        registered = day(cell["登记日期"])
        documents.append(
            Document(
                org_id=org_ids[str(cell["制定机关代码"])],
                title=cell["文件名称"],
                provisional=cell["暂行或试行"] == "是",
                affects_rights=cell["涉及权利义务"] == "是",
                status="in_force",
                drafted_on=day(cell["起草日期"]),
                comment_start=day(cell["征求意见开始"]),
                comment_end=day(cell["征求意见结束"]),
                review_submitted_on=day(cell["送审日期"]),
                review_reported_on=day(cell["审核意见日期"]),
                review_outcome="pass",
                decided_on=day(cell["集体审议日期"]),
                decision_meeting=cell["审议会议"],
                registering_office_id=org_ids[str(cell["登记机关代码"])],
                registered_on=registered,
                registration_year=registered.year,
                registration_serial=int(cell["登记序号"]),
                number_prefix=cell["发文字号前缀"],
                number_year=registered.year,
                number_serial=int(cell["发文序号"]),
                effective_from=day(cell["施行日期"]),
                expires_on=day(cell["有效期至"]),
                published_on=day(cell["公布日期"]),
                channel="website",
                filed_on=day(cell["备案日期"]),
                filing_outcome="conforming",
            )
        )
    Document.objects.bulk_create(documents, batch_size=1000)
    return len(documents)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--repeat", type=int, default=1, help="Run both halves this many times, alternately; compare the fastest."
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="Profile the import (cProfile: top 25 by own time, top 40 by cumulative time).",
    )
    args = parser.parse_args()
    if os.environ.get("FAZHI_DATABASE_URL"):
        setup_django(None)
        return run(args)
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        return run(args)


def run(args) -> int:
    from django.db import connection
    from django.utils import translation

    from fazhi.core.imports import import_run
    from fazhi.ledgers.documents.importers import DocumentImporter
    from fazhi.ledgers.documents.models import Document
    from fazhi.orgs.models import Org
    from tests.factories import build_personas, build_tree

    translation.activate("zh-hans")
    if Org.objects.filter(code="990101").exists():
        say("The database already holds the test tree (青山县 990101): use an empty database.")
        return 1
    tree = build_tree()
    admin = build_personas(tree)["county_admin"]
    orgs = [tree.county.code, tree.justice_bureau.code, tree.township.code, tree.township2.code, tree.school.code]
    say(
        f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · {connection.vendor} · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )

    # The file is the same for the same row count (the tree's codes are fixed): kept under var/ for the next run.
    cached = ROOT / "var" / "bench-ledger-import" / f"documents-{args.rows}.xlsx"
    if cached.exists():
        data = cached.read_bytes()
        say(f"XLSX of {args.rows:,} rows: {len(data) / 1e6:.1f} MB, read from {cached.relative_to(ROOT)}")
    else:
        start = time.perf_counter()
        data = make_xlsx(make_rows(args.rows, orgs, tree.justice_bureau.code))
        say(f"XLSX of {args.rows:,} rows: {len(data) / 1e6:.1f} MB, written in {time.perf_counter() - start:.1f} s")
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)

    def bare():
        assert bare_insert(data) == args.rows
        assert Document.objects.count() == args.rows

    def whole():
        result = import_run(DocumentImporter(actor=admin), data)
        assert result.ok, result.errors[:3]
        assert Document.objects.count() == args.rows

    if args.profile:
        import cProfile
        import pstats

        t_bare = rolled_back(bare)
        say(f"bare (calamine + bulk_create):  wall {t_bare[0]:7.1f} s   cpu {t_bare[1]:7.1f} s")
        profiler = cProfile.Profile()
        t_whole = rolled_back(lambda: profiler.runcall(whole))
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        say(f"import (checked, audited):      wall {t_whole[0]:7.1f} s   cpu {t_whole[1]:7.1f} s")
        return 0
    # Alternate the two halves: on a shared machine another job's burst then falls on both, and the fastest of
    # each (the run least disturbed) is compared.
    bares, wholes = [], []
    for n in range(1, args.repeat + 1):
        bares.append(rolled_back(bare))
        say(f"{n}. bare (calamine + bulk_create):  wall {bares[-1][0]:7.1f} s   cpu {bares[-1][1]:7.1f} s")
        wholes.append(rolled_back(whole))
        say(f"{n}. import (checked, audited):      wall {wholes[-1][0]:7.1f} s   cpu {wholes[-1][1]:7.1f} s")
        say(
            f"{n}. ratio import / bare:            wall {wholes[-1][0] / bares[-1][0]:7.2f}     "
            f"cpu {wholes[-1][1] / bares[-1][1]:7.2f}"
        )
    if args.repeat > 1:
        best_bare = (min(t[0] for t in bares), min(t[1] for t in bares))
        best_whole = (min(t[0] for t in wholes), min(t[1] for t in wholes))
        say(f"fastest bare:                      wall {best_bare[0]:7.1f} s   cpu {best_bare[1]:7.1f} s")
        say(f"fastest import:                    wall {best_whole[0]:7.1f} s   cpu {best_whole[1]:7.1f} s")
        say(
            f"ratio of the fastest:              wall {best_whole[0] / best_bare[0]:7.2f}     "
            f"cpu {best_whole[1] / best_bare[1]:7.2f}   (target ≤ 2)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
