"""A campaign's whole results computation, as a ratio to one bare SQL aggregation over the same rows.

    uv run python bench/results.py                                   # 50,000 × 100 × 3 on SQLite in var/bench-results/
    uv run python bench/results.py --applications 5000 --leaves 100  # smaller
    FAZHI_DATABASE_URL=postgres://… uv run python bench/results.py --applications 5000

Generates (unless the database already holds a campaign of that size) a campaign of N applications × L
leaves × 3 reviewers: the province of ``fazhi.demo.province`` supplies the applicants, a standard of L manual
leaves under 10 level-1 indicators with two bonus items, and 3·N submitted sheets of L leaf scores each
(bulk loaded: ``executemany`` of plain INSERTs on SQLite, ``COPY`` on PostgreSQL). Then it times, each the
median of ``--runs`` hot runs:

- **whole**: ``results_compute`` — the checks, the set-based SQL path, the components, composite and
  ranking, and writing the ApplicationResult rows (one transaction, audited);
- **bare**: ``SELECT application, SUM(score) … GROUP BY application`` over the same leaf scores;

and prints both and their ratio (target ≤ 1.5). Not a test; record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOPS = 10


def setup_django() -> None:
    if not os.environ.get("FAZHI_DATABASE_URL"):
        os.environ.setdefault("FAZHI_VAR_DIR", str(ROOT / "var" / "bench-results"))
        Path(os.environ["FAZHI_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_TASKS_BACKEND", "immediate")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # tests.factories makes the users
    import django

    django.setup()


def say(message: str) -> None:
    print(message, flush=True)


def build_spec(leaves: int):
    from fazhi.indicators import spec

    per_top = [leaves // TOPS + (1 if i < leaves % TOPS else 0) for i in range(TOPS)]
    tops, n = [], 0
    for t, count in enumerate(per_top, start=1):
        children = []
        for c in range(1, count + 1):
            n += 1
            children.append(spec.Indicator(code=f"{t}.{c}", title=f"指标{t}.{c}", points=100, rule=spec.Rule("manual")))
        tops.append(spec.Indicator(code=str(t), title=f"一级指标{t}", points=100 * count, children=tuple(children)))
    bonus = (spec.BonusItem("B1", "创新举措", 200), spec.BonusItem("B2", "典型经验", 300))
    return spec.Standard(
        code=f"bench-results-{leaves}",
        version="1",
        title=f"基准测评标准（{leaves}项）",
        total=100 * leaves,
        pass_score=60 * leaves,
        bonus_cap=400,
        indicators=tuple(tops),
        bonus=bonus,
    )


def generate(applications: int, leaves: int):
    """The campaign (created once per size; reused on later runs)."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from fazhi.campaigns import models as m
    from fazhi.demo.province import PROVINCE_CODE, PROVINCE_SIZE, province_generate
    from fazhi.indicators.models import BonusItem, Indicator, Standard
    from fazhi.indicators.services.rows import write_contents
    from fazhi.orgs.models import Org
    from tests.factories import make_user

    call_command("migrate", interactive=False, verbosity=0)
    title = f"基准创建活动 {applications}×{leaves}×3"
    existing = m.Campaign.objects.filter(title=title).first()
    if existing:
        say(f"reusing the campaign {title} (id {existing.pk})")
        return existing
    if not Org.objects.filter(code=PROVINCE_CODE).exists():
        started = time.perf_counter()
        province_generate(size=PROVINCE_SIZE)
        say(f"generated the province in {time.perf_counter() - started:.1f} s")
    province = Org.objects.get(code=PROVINCE_CODE)
    orgs = list(Org.objects.exclude(pk=province.pk).order_by("pk").values_list("pk", "parent_id")[:applications])
    if len(orgs) < applications:
        raise SystemExit(f"the province has {len(orgs)} organisations; ask for at most that many applications")
    from django.contrib.auth import get_user_model

    User = get_user_model()  # noqa: N806
    admin = User.objects.filter(username="bench_admin").first() or make_user(
        "bench_admin", org=province, role="administrator", full_name="基准管理员"
    )
    reviewers = [
        User.objects.filter(username=f"bench_reviewer_{i}").first()
        or make_user(f"bench_reviewer_{i}", org=province, role="reviewer", full_name=f"基准专家{i}")
        for i in range(30)
    ]
    std = build_spec(leaves)
    started = time.perf_counter()
    rng = random.Random(2026)
    with transaction.atomic():
        standard = Standard.objects.filter(code=std.code).first()
        if standard is None:
            standard = Standard.objects.create(
                code=std.code,
                version="1",
                title=std.title,
                total=std.total,
                pass_score=std.pass_score,
                bonus_cap=std.bonus_cap,
                status=Standard.Status.PUBLISHED,
                owner_org=province,
                published_at=timezone.now(),
            )
            write_contents(standard, std)
        campaign = m.Campaign.objects.create(
            organiser=province,
            kind=m.CampaignKind.LAW_BASED_ADMINISTRATION,
            title=title,
            batch="基准",
            year=2026,
            standard=standard,
            pass_score=7000,
            quota=max(1, applications // 10),
            stage=m.Stage.INSPECTION,
            created_by=admin,
        )
        now = timezone.now()
        apps = m.Application.objects.bulk_create(
            [
                m.Application(
                    campaign=campaign,
                    org_id=pk,
                    recommender_org_id=parent,
                    state=m.ApplicationState.SCORED,
                    submissions=1,
                    first_submitted_at=now,
                    submitted_at=now,
                )
                for pk, parent in orgs
            ],
            batch_size=5000,
        )
        assignments = m.Assignment.objects.bulk_create(
            [
                m.Assignment(application=app, reviewer=reviewers[(i * 3 + r) % len(reviewers)])
                for i, app in enumerate(apps)
                for r in range(3)
            ],
            batch_size=5000,
        )
        sheets = m.ScoreSheet.objects.bulk_create(
            [m.ScoreSheet(assignment=a, status=m.SheetStatus.SUBMITTED, submitted_at=now) for a in assignments],
            batch_size=5000,
        )
        leaf_ids = list(
            Indicator.objects.filter(standard=standard, parent__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        bonus = list(BonusItem.objects.filter(standard=standard).values_list("pk", "points"))
        m.BonusAward.objects.bulk_create(
            [
                m.BonusAward(sheet=s, item_id=item, points=points)
                for s in sheets
                for item, points in bonus
                if rng.random() < 0.3
            ],
            batch_size=5000,
        )
        say(f"applications, assignments, sheets: {time.perf_counter() - started:.1f} s")
        table = m.LeafScore._meta.db_table
        sheet_ids = [s.pk for s in sheets]
        # answers are manual hundredths on a step of 50; the score is the answer
        choices = [f"{v}" for v in (0, 50, 100)]
        weights = [1, 3, 6]
        total = len(sheet_ids) * len(leaf_ids)
        done = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {table} (sheet_id, indicator_id, answer, score, comment) FROM STDIN") as copy:
                    for sheet in sheet_ids:
                        buffer = io.StringIO()
                        for leaf, value in zip(leaf_ids, rng.choices(choices, weights, k=len(leaf_ids)), strict=True):
                            buffer.write(f"{sheet}\t{leaf}\t{value}\t{value}\t\n")
                        copy.write(buffer.getvalue())
                        done += len(leaf_ids)
                        if done % 1_000_000 < len(leaf_ids):
                            say(f"  leaf scores {done:,} / {total:,}")
                cursor.execute(f"ANALYZE {table}")
            else:
                sql = f"INSERT INTO {table} (sheet_id, indicator_id, answer, score, comment) VALUES (?, ?, ?, ?, '')"
                raw = cursor.cursor  # the sqlite3 cursor: executemany without Django's per-row conversion
                batch = []
                for sheet in sheet_ids:
                    for leaf, value in zip(leaf_ids, rng.choices(choices, weights, k=len(leaf_ids)), strict=True):
                        batch.append((sheet, leaf, value, int(value)))
                    if len(batch) >= 200_000:
                        raw.executemany(sql, batch)
                        done += len(batch)
                        batch = []
                        say(f"  leaf scores {done:,} / {total:,}")
                raw.executemany(sql, batch)
                cursor.execute("ANALYZE")
    say(f"generated {total:,} leaf scores in {time.perf_counter() - started:.1f} s")
    return campaign


def median_seconds(run, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--leaves", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from fazhi.campaigns import models as m
    from fazhi.campaigns.services.results import results_compute

    campaign = generate(args.applications, args.leaves)
    admin = m.Campaign.objects.get(pk=campaign.pk).created_by
    t = {
        name: connection.ops.quote_name(model._meta.db_table)
        for name, model in (("ls", m.LeafScore), ("s", m.ScoreSheet), ("a", m.Assignment), ("ap", m.Application))
    }
    bare_sql = (
        f"SELECT a.application_id, SUM(ls.score) FROM {t['ls']} ls "
        f"JOIN {t['s']} s ON s.id = ls.sheet_id JOIN {t['a']} a ON a.id = s.assignment_id "
        f"JOIN {t['ap']} ap ON ap.id = a.application_id WHERE ap.campaign_id = %s GROUP BY a.application_id"
    )

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(bare_sql, [campaign.pk])
            return len(cursor.fetchall())

    def whole():
        return results_compute(actor=admin, campaign=m.Campaign.objects.get(pk=campaign.pk), reason="基准")

    rows = m.LeafScore.objects.filter(sheet__assignment__application__campaign=campaign).count()
    version_text = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version
    say(f"database: {connection.vendor} {version_text}")
    say(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    say(f"campaign: {args.applications:,} applications × {args.leaves} leaves × 3 reviewers = {rows:,} leaf scores")
    bare()  # warm the cache
    whole()
    bare_s, bare_all = median_seconds(bare, args.runs)
    whole_s, whole_all = median_seconds(whole, args.runs)
    version = m.ResultVersion.objects.filter(campaign=campaign).order_by("-number").first()
    say(f"result rows written: {version.results.count():,} (version {version.number})")
    say(f"bare aggregation:   {bare_s:8.2f} s   (runs: {', '.join(f'{x:.2f}' for x in bare_all)})")
    say(f"whole computation:  {whole_s:8.2f} s   (runs: {', '.join(f'{x:.2f}' for x in whole_all)})")
    say(f"ratio: {whole_s / bare_s:.2f} (target ≤ 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
