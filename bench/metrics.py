"""Every registered metric for every org of the province demo, as a ratio to one bare SQL group-by per metric.

    uv run python bench/metrics.py                       # SQLite in var/bench-metrics/ (its own database)
    uv run python bench/metrics.py --records 300         # fewer ledger rows per builder (faster to generate)
    FAZHI_DATABASE_URL=postgres://… uv run python bench/metrics.py

Generates (unless the database already holds them) the province 北原省 of ``fazhi.demo.province`` (57,931
orgs) and ``--records`` ledger rows per builder, written through the ledgers' services by the builders of
``tests/ledgers/<ledger>/factories.py`` on orgs drawn at random from the whole province (counties, townships,
villages and units alike), with random dates, scores and outcomes — so the rules and derived fields hold, and
every metric has rows in its numerator and its denominator. A row a rule refuses is skipped and counted.

Then, for each registered metric, it times, each the median of ``--runs`` hot runs:

- **whole**: ``metric.counts(paths, start, end)`` for the paths of **every** org of the province (what a page
  of the whole province's children, or a campaign scoring every applicant, asks for): numerator and denominator
  of each org's whole subtree (a ``SubtreeCounts`` mapping, which fills in the zeros of the orgs without records
  when read: this times the query and the roll-up, not a caller reading all 57,931 values, which adds ~20 ms —
  see docs/benchmarks.md);
- **bare**: one ``GROUP BY org_id`` over the same rows — the metric's own drill-down query for the whole
  province (``metric.records(province, start, end)``), grouped by org with ``COUNT(*)`` and
  ``COUNT(*) FILTER (in_numerator)``, as plain SQL on a cursor: the least a database must do to count those rows
  per org, without the roll-up to subtrees;

and prints both, their ratio per metric and the ratio of the totals (target ≤ 1.5). The period is 2025-01-01 to
2026-12-31 (the builders' dates). Not a test; record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
MARKER = "基准台账"  # the first learner's name: present once the rows were generated


def setup_django() -> None:
    if not os.environ.get("FAZHI_DATABASE_URL"):
        os.environ.setdefault("FAZHI_VAR_DIR", str(ROOT / "var" / "bench-metrics"))
        Path(os.environ["FAZHI_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_TASKS_BACKEND", "immediate")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # the builders are in tests/ledgers/<ledger>/factories.py
    import django

    django.setup()


def say(message: str) -> None:
    print(message, flush=True)


def _day(rng: random.Random, start: dt.date = START, end: dt.date = END) -> dt.date:
    end = min(end, dt.date.today() - dt.timedelta(days=1))  # the ledgers refuse dates in the future
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


def builders(rng: random.Random):
    """name → build(org, n): one ledger row (or a small group of them) through the services."""
    from tests.ledgers.decisions import factories as decisions
    from tests.ledgers.disputes import factories as disputes
    from tests.ledgers.documents import factories as documents
    from tests.ledgers.enforcement import factories as enforcement
    from tests.ledgers.study import factories as study

    def document(org, n):
        step = rng.choice(documents.STEPS[2:] + ("in_force",) * 4)
        start = _day(rng, START, dt.date(2025, 9, 30))
        return documents.document_through(
            org,
            step,
            title=f"规范性文件{n}",
            start=start,
            affects_rights=rng.random() < 0.7,
            outcome=rng.choice(("pass", "pass", "pass_with_changes")),
            validity_years=rng.choice((2, 3, 5)),
            channel=rng.choice(("website", "gazette", "platform", "newspaper")),
        )

    def decision(org, n):
        if rng.random() < 0.7:
            return decisions.make_decided(org, title=f"重大行政决策{n}", technical=rng.random() < 0.3)
        steps = decisions.required_steps_only(comment=rng.random() < 0.5, risk=rng.random() < 0.5)
        return decisions.make_decision(org, title=f"重大行政决策{n}", steps=steps)

    def officer(org, n):
        issued = rng.random() < 0.9
        person = enforcement.make_officer(org, f"执法人员{n}", issued_on=dt.date(2024, 1, 1) if issued else None)
        for year in (2025, 2026):
            enforcement.make_year(
                person,
                year,
                general=rng.randint(40, 100),
                special=rng.randint(40, 100),
                training_hours=rng.randint(0, 80),
            )
        return person

    def case_file(org, n):
        return enforcement.make_case(
            org, score=rng.randint(50, 100), year=2025, reviewed_on=_day(rng, START, dt.date(2025, 12, 31))
        )

    def reconsideration(org, n):
        received = _day(rng, START, dt.date(2026, 6, 30))
        accepted = received + dt.timedelta(days=rng.randint(0, 5))
        fields = {
            "received_on": received,
            "accepted_on": accepted,
            "handlers": rng.choice(("王某、李某", "王某、李某、赵某")),
        }
        if rng.random() < 0.8:
            fields.update(
                decided_on=accepted + dt.timedelta(days=rng.randint(20, 80)),
                decision=rng.choice(("uphold", "revoke", "alter", "dismiss", "confirm_illegal")),
            )
        return disputes.reconsideration(org, **fields)

    def litigation(org, n):
        filed = _day(rng, START, dt.date(2026, 6, 30))
        return disputes.litigation(
            org,
            filed_on=filed,
            hearing_on=filed + dt.timedelta(days=rng.randint(20, 90)),
            head_appeared=rng.random() < 0.6,
        )

    def mediation(org, n):
        screened = _day(rng, START, dt.date(2026, 10, 31))
        fields = {"screened_on": screened}
        if rng.random() < 0.9:
            fields["mediated_on"] = screened + dt.timedelta(days=rng.randint(0, 10))
            if rng.random() < 0.9:
                fields.update(
                    outcome=rng.choice(("settled",) * 9 + ("failed",)),
                    concluded_on=fields["mediated_on"] + dt.timedelta(days=rng.randint(1, 20)),
                )
        return disputes.mediation(org, **fields)

    def disclosure(org, n):
        received = _day(rng, START, dt.date(2026, 10, 31))
        fields = {"received_on": received}
        if rng.random() < 0.9:
            fields.update(answered_on=received + dt.timedelta(days=rng.randint(3, 40)), reply="disclosed")
        return disputes.disclosure(org, **fields)

    learners: dict[int, list] = {}

    def learner(org, n):
        person = study.learner(org, MARKER if n == 0 else f"学员{n}", is_leader=rng.random() < 0.3)
        learners.setdefault(org.pk, []).append(person)
        return person

    def extra_learner(org, n):
        person = study.learner(org, f"学员{n}甲")
        learners.setdefault(org.pk, []).append(person)
        return person

    def session(org, n):
        people = learners.get(org.pk) or [extra_learner(org, n)]
        kind = rng.choice(("lecture", "seminar", "central_group", "pre_meeting", "lecture"))
        return study.session(org, kind=kind, date=_day(rng), hours=rng.choice(("2", "3", "4", "8")), attendees=people)

    def meeting(org, n):
        return study.meeting(org, date=_day(rng), title=f"常务会议{n}")

    def appointment(org, n):
        people = learners.get(org.pk) or [extra_learner(org, n)]
        appointed = _day(rng)
        tested = appointed - dt.timedelta(days=rng.randint(1, 30)) if rng.random() < 0.8 else None
        return study.appointment(org, people[0], appointed_on=appointed, tested_on=tested, score=80 if tested else None)

    return {
        "documents.document": document,
        "decisions.decision": decision,
        "enforcement.officer": officer,
        "enforcement.case_file": case_file,
        "disputes.reconsideration": reconsideration,
        "disputes.litigation": litigation,
        "disputes.mediation": mediation,
        "disputes.disclosure": disclosure,
        "study.learner": learner,
        "study.session": session,
        "study.meeting": meeting,
        "study.appointment": appointment,
    }


def generate(records: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from fazhi.core.errors import DomainError
    from fazhi.demo.province import PROVINCE_CODE, PROVINCE_SIZE, province_generate
    from fazhi.ledgers.study.models import Learner
    from fazhi.orgs.models import Org

    call_command("migrate", interactive=False, verbosity=0)
    if not Org.objects.filter(code=PROVINCE_CODE).exists():
        started = time.perf_counter()
        province_generate(size=PROVINCE_SIZE)
        say(f"generated the province in {time.perf_counter() - started:.1f} s")
    if Learner.objects.filter(name=MARKER).exists():
        say("reusing the ledger rows already generated")
        return
    rng = random.Random(2026)
    province = Org.objects.get(code=PROVINCE_CODE)
    orgs = list(Org.objects.filter(province.subtree()).exclude(pk=province.pk).order_by("pk"))
    for name, build in builders(rng).items():
        started, refused, reasons = time.perf_counter(), 0, {}
        with transaction.atomic():
            for n in range(records):
                org = rng.choice(orgs)
                try:
                    with transaction.atomic():
                        build(org, n)
                except DomainError as error:
                    refused += 1
                    reasons[error.rule] = reasons.get(error.rule, 0) + 1
        top = ", ".join(f"{rule} ×{count}" for rule, count in sorted(reasons.items(), key=lambda kv: -kv[1])[:3])
        say(
            f"  {name:26} {records - refused:6,} rows in {time.perf_counter() - started:6.1f} s"
            + (f"  ({refused} refused: {top})" if refused else "")
        )
    if connection_vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


LEDGER_APPS = ("documents", "decisions", "enforcement", "disputes", "study")


def scale_up(scale: int) -> None:
    """Copy every ledger row ``scale - 1`` times by INSERT … SELECT, each copy on another org of the province.

    Copy k of a row gets the id ``id + k × (the table's largest id)``, references to other ledger rows shifted
    the same way (so a decision's procedures, a session's attendance follow their copy), every org reference
    mapped by ``org ↦ lo + ((org − lo) × 7919 + k × 104729) mod n`` (a bijection of the province's n contiguous org
    ids: copies spread over the whole province), and the text column of each unique constraint suffixed with
    ``~k``. A copy that still collides with a unique constraint is skipped. Much faster than the services for
    large volumes; the services' rules held for the rows copied.
    """
    from django.apps import apps
    from django.db import DatabaseError, connection, transaction
    from django.db.models import CharField, Max, Min, TextField

    from fazhi.orgs.models import Org

    bounds = Org.objects.aggregate(lo=Min("id"), hi=Max("id"))
    lo, n = bounds["lo"], bounds["hi"] - bounds["lo"] + 1
    contiguous = Org.objects.count() == n
    models = [m for label in LEDGER_APPS for m in apps.get_app_config(label).get_models()]
    offsets = {m: (m.objects.aggregate(top=Max("id"))["top"] or 0) for m in models}
    done: list = []
    pending = [m for m in models if offsets[m]]
    quote = connection.ops.quote_name
    started = time.perf_counter()
    while pending:
        model = next(
            m
            for m in pending
            if all(
                f.related_model not in pending or f.related_model is m for f in m._meta.concrete_fields if f.is_relation
            )
        )
        pending.remove(model)
        texts = set()
        groups = [list(u) for u in model._meta.unique_together]
        groups += [list(c.fields) for c in model._meta.constraints if getattr(c, "fields", None)]
        groups += [[f.name] for f in model._meta.concrete_fields if f.unique and not f.primary_key]
        for group in groups:
            for name in group:
                field = model._meta.get_field(name)
                if isinstance(field, CharField | TextField):
                    texts.add(field.column)
                    break
        columns = [f.column for f in model._meta.concrete_fields]
        table = quote(model._meta.db_table)
        for k in range(1, scale):
            exprs = []
            for field in model._meta.concrete_fields:
                column = quote(field.column)
                if field.primary_key:
                    exprs.append(f"{column} + {k * offsets[model]}")
                elif field.is_relation and field.related_model in offsets:
                    exprs.append(f"{column} + {k * offsets[field.related_model]}")
                elif field.is_relation and field.related_model is Org and contiguous:
                    exprs.append(f"{lo} + (({column} - {lo}) * 7919 + {k * 104729}) % {n}")
                elif field.column in texts:
                    exprs.append(f"{column} || '~{k}'")
                else:
                    exprs.append(column)
            verb = "INSERT OR IGNORE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
            tail = " ON CONFLICT DO NOTHING" if connection.vendor == "postgresql" else ""
            sql = (
                f"{verb} {table} ({', '.join(quote(c) for c in columns)}) "
                f"SELECT {', '.join(exprs)} FROM {table} WHERE {quote('id')} <= {offsets[model]}{tail}"
            )
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql)
            except DatabaseError as error:  # e.g. a suffixed text too long for its column: say so, go on
                say(f"  could not copy {model._meta.label} (copy {k}): {error}")
                break
        done.append(f"{model._meta.label} {model.objects.count():,}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {quote(model._meta.db_table)}))"
                )
            cursor.execute("ANALYZE")
    say(f"copied the ledger rows ×{scale} in {time.perf_counter() - started:.1f} s: " + "; ".join(done))


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def bare_query(metric, root_path: str):
    """The SQL and parameters of one GROUP BY org over the metric's drill-down rows for the whole province."""
    from django.db.models import Count, Q

    records = metric.records(root_path, START, END).order_by()
    grouped = records.values("org_id").annotate(_den=Count("pk"), _num=Count("pk", filter=Q(in_numerator=True)))
    return grouped.values_list("org_id", "_num", "_den").query.sql_with_params()


def median_seconds(run, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1000, help="ledger rows per builder (default 1,000)")
    parser.add_argument(
        "--scale", type=int, default=1, help="then copy every ledger row this many times over the province (SQL)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--metric", action="append", help="time only these metric codes (repeatable)")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from fazhi.demo.province import PROVINCE_CODE
    from fazhi.metrics.registry import metrics
    from fazhi.orgs.models import Org

    generate(args.records)
    from fazhi.ledgers.disputes.models import Mediation

    if args.scale > 1 and Mediation.objects.count() < args.records * args.scale * 0.9:
        scale_up(args.scale)
    province = Org.objects.get(code=PROVINCE_CODE)
    paths = list(Org.objects.filter(province.subtree()).values_list("path", flat=True))
    chosen = [m for m in metrics() if not args.metric or m.code in args.metric]
    version_text = connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version
    say(f"database: {connection.vendor} {version_text}")
    say(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    say(f"orgs: {len(paths):,}; metrics: {len(chosen)}; period {START} – {END}; median of {args.runs} hot runs")
    say(f"{'metric':44} {'rows':>7} {'bare ms':>9} {'whole ms':>9} {'ratio':>6}")
    total_bare = total_whole = 0.0
    for metric in chosen:
        sql, params = bare_query(metric, province.path)

        def bare(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return sum(row[2] for row in cursor.fetchall())

        def whole(metric=metric):
            return metric.counts(paths, START, END)

        rows = bare()  # warm the cache
        result = whole()
        if metric.kind != "count" and result[province.path][1] != rows:
            say(
                f"  note: {metric.code}: the province's denominator {result[province.path][1]} ≠ {rows} drill-down rows"
            )
        bare_s, _ = median_seconds(bare, args.runs)
        whole_s, _ = median_seconds(whole, args.runs)
        total_bare += bare_s
        total_whole += whole_s
        say(f"{metric.code:44} {rows:7,} {bare_s * 1000:9.1f} {whole_s * 1000:9.1f} {whole_s / bare_s:6.2f}")
    say(f"{'all metrics':44} {'':7} {total_bare * 1000:9.1f} {total_whole * 1000:9.1f} {total_whole / total_bare:6.2f}")
    say(f"ratio: {total_whole / total_bare:.2f} (target ≤ 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
