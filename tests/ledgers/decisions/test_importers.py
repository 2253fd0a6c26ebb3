"""The import of major decisions: the bad-input catalogue (each refused with row, column and rule, nothing
written), a valid file, the export imported again, and random rows (exactly what was given, or nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.imports import import_run
from fazhi.core.models import AuditEvent
from fazhi.core.xlsx import export_rows, import_template
from fazhi.ledgers.common.registry import importers
from fazhi.ledgers.decisions.importers import DecisionImporter, decision_export_rows
from fazhi.ledgers.decisions.models import Decision, Procedure
from tests.ledgers.decisions.factories import make_decided, make_decision, required_steps_only
from tests.spreadsheets import make_xlsx, read_xlsx

D = dt.date
KEYS = [c.key for c in DecisionImporter.columns]
HEADER = [c.header for c in DecisionImporter.columns]


def full(**overrides):
    """A decided decision of 青山县 (990101) on utility prices: every required step, in order."""
    row = dict.fromkeys(KEYS)
    row.update(
        {
            "org_code": "990101",
            "year": 2026,
            "title": "青山县城区集中供热价格调整",
            "category": "公用事业价格",
            "technical": "否",
            "public_comment_required": "是",
            "hearing_required": "否",
            "status": "已决策",
            "comment_start": D(2026, 3, 2),
            "comment_end": D(2026, 4, 1),
            "risk_on": D(2026, 4, 3),
            "review_submitted": D(2026, 4, 7),
            "review_opinion": D(2026, 4, 20),
            "collective_on": D(2026, 4, 28),
        }
    )
    row.update(overrides)
    return [row[k] for k in KEYS]


def catalogued(**overrides):
    blank = dict.fromkeys(KEYS[8:])
    return full(**{"status": None, **blank, **overrides})


def run(actor, rows, *, header=HEADER, dry_run=False):
    with translation.override("en"):
        return import_run(DecisionImporter(actor=actor), make_xlsx([header, *rows]), dry_run=dry_run)


def errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def nothing_written():
    return (
        not Decision.objects.exists()
        and not Procedure.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="decisions.").exists()
    )


def test_registered_for_the_command():
    assert importers()["decisions"] is DecisionImporter


def test_a_valid_file_imports_with_steps_statuses_and_audit(tree, personas):
    result = run(
        personas["county_admin"],
        [
            full(),
            catalogued(title="城关镇农贸市场搬迁", org_code="990101001", category="重大公共设施"),
            full(
                title="县城污水处理厂扩建",
                category="环境保护",
                technical="是",
                expert_on=D(2026, 4, 2),
                review_opinion=D(2026, 4, 13),  # 4 working days: recorded, flagged for the metric
                evaluation_due=D(2027, 4, 28),
            ),
            catalogued(title="撤回的事项", status="已撤回", note="上级政策调整"),
        ],
    )
    assert result.ok, errors(result)
    decisions = {d.title: d for d in Decision.objects.all()}
    first = decisions["青山县城区集中供热价格调整"]
    assert first.status == "decided" and first.decided_on == D(2026, 4, 28) and first.category == "utility_prices"
    assert sorted(first.procedures.values_list("kind", flat=True)) == sorted(
        ["public_participation", "risk_assessment", "legality_review", "collective_decision"]
    )
    assert first.procedures.get(kind="public_participation").period_days == 30
    assert first.procedures.get(kind="legality_review").review_period_ok is True
    assert decisions["县城污水处理厂扩建"].procedures.get(kind="legality_review").review_period_ok is False
    assert (
        decisions["城关镇农贸市场搬迁"].status == "catalogued" and decisions["城关镇农贸市场搬迁"].org == tree.township
    )
    withdrawn = decisions["撤回的事项"]
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_reason == "上级政策调整"
    assert AuditEvent.objects.filter(action="decisions.decision.imported").count() == 4


def test_a_dry_run_writes_nothing(tree, personas):
    result = run(personas["county_admin"], [full()], dry_run=True)
    assert result.ok and nothing_written()


def test_the_export_imports_again(tree, personas):
    make_decided(tree.county, title="县事项", technical=True, steps={**required_steps_only(technical=True)})
    make_decision(
        tree.township,
        title="镇事项",
        category="public_policy",
        steps={"legality_review": (D(2026, 4, 7), D(2026, 4, 20))},
    )
    queryset = Decision.objects.select_related("org").prefetch_related("procedures").order_by("id")
    before = sorted(
        (d.title, d.status, d.technical, tuple(sorted((p.kind, p.started_on, p.ended_on) for p in d.procedures.all())))
        for d in queryset
    )
    data = export_rows(DecisionImporter, decision_export_rows(queryset))
    assert len(read_xlsx(data)) == 3
    Decision.objects.all().delete()
    with translation.override("en"):
        result = import_run(DecisionImporter(actor=personas["county_admin"]), data)
    assert result.ok, errors(result)
    after = sorted(
        (d.title, d.status, d.technical, tuple(sorted((p.kind, p.started_on, p.ended_on) for p in d.procedures.all())))
        for d in Decision.objects.prefetch_related("procedures")
    )
    assert after == before


def test_the_template_downloads_with_every_column():
    assert read_xlsx(import_template(DecisionImporter))[0] == HEADER


# The catalogue: (what, rows, (row, column header, rule)).
CATALOGUE = [
    ("a date that is text", [full(collective_on="上个月")], (2, "集体讨论决定日期", "decisions.cell_type")),
    ("a number where a date is expected", [full(review_opinion=12)], (2, "审查意见日期", "decisions.cell_type")),
    ("a year that is text", [full(year="今年")], (2, "目录年度", "decisions.cell_type")),
    ("a yes/no that is neither", [full(technical="也许")], (2, "专业性技术性较强", "decisions.cell_type")),
    ("an unknown category", [full(category="杂项")], (2, "类别", "decisions.cell_type")),
    ("an unknown status", [full(status="差不多")], (2, "状态", "decisions.cell_type")),
    (
        "a decision missing its legality review",
        [full(review_submitted=None, review_opinion=None)],
        (2, "审查意见日期", "decisions.legality_review_required"),
    ),
    (
        "a decision missing its collective decision",
        [full(collective_on=None)],
        (2, "集体讨论决定日期", "decisions.collective_decision_required"),
    ),
    (
        "a technical decision without expert argumentation",
        [full(technical="是")],
        (2, "专家论证日期", "decisions.expert_argumentation_required"),
    ),
    (
        "a risk category without risk assessment",
        [full(risk_on=None)],
        (2, "风险评估日期", "decisions.risk_assessment_required"),
    ),
    ("a required hearing not held", [full(hearing_required="是")], (2, "听证日期", "decisions.hearing_required")),
    (
        "no public comment though required",
        [full(comment_start=None, comment_end=None)],
        (2, "征求意见截止", "decisions.public_participation_required"),
    ),
    (
        "a comment period too short",
        [full(comment_start=D(2026, 3, 3))],
        (2, "征求意见截止", "decisions.comment_period"),
    ),
    (
        "the review after the decision",
        [full(review_opinion=D(2026, 4, 29))],
        (2, "审查意见日期", "decisions.step_order"),
    ),
    (
        "dates in the wrong order",
        [full(review_submitted=D(2026, 4, 21))],
        (2, "审查意见日期", "decisions.date_order"),
    ),
    (
        "a step without its start date",
        [catalogued(review_opinion=D(2026, 4, 20))],
        (2, "送审日期", "decisions.step_date"),
    ),
    (
        "an evaluation before the decision",
        [full(evaluated_on=D(2026, 4, 1), evaluation_finding="良好")],
        (2, "决策后评估日期", "decisions.evaluation"),
    ),
    (
        "an evaluation of an undecided matter",
        [catalogued(evaluated_on=D(2026, 6, 1), evaluation_finding="良好")],
        (2, "决策后评估日期", "decisions.not_decided"),
    ),
    ("a withdrawal without reason", [catalogued(status="已撤回")], (2, "备注", "decisions.reason_required")),
    ("an unknown org code", [full(org_code="990199")], (2, "单位代码", "decisions.unknown_org")),
    ("duplicate decisions", [full(), full()], (3, "决策事项", "decisions.duplicate")),
    (
        "a review clock into a year the calendar does not cover",
        [catalogued(review_submitted=D(2026, 12, 28), review_opinion=D(2027, 1, 12))],
        (2, "送审日期", "calendar.year_not_covered"),
    ),
]


@pytest.mark.parametrize("what, rows, expected", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_bad_input_is_refused_naming_row_column_and_rule(tree, personas, what, rows, expected):
    result = run(personas["county_admin"], [catalogued(title="一个没问题的事项"), *rows])
    assert not result.ok
    row, column, rule = expected
    row += 1  # after the good first row
    assert any(r == row and c == column and f"rule {rule}" in m for r, c, m in errors(result)), errors(result)
    assert nothing_written()


def test_a_decision_already_in_the_ledger_is_refused(tree, personas):
    make_decision(tree.county, title="青山县城区集中供热价格调整")
    result = run(personas["county_admin"], [full()])
    assert any(c == "决策事项" and "decisions.duplicate" in m for _r, c, m in errors(result))
    assert Decision.objects.count() == 1 and not Procedure.objects.exists()


def test_a_clerk_cannot_import_into_the_county_nor_a_leader_anywhere(tree, personas):
    result = run(personas["township_clerk"], [full()])
    assert any(c == "单位代码" and "decisions.unknown_org" in m for _r, c, m in errors(result))
    result = run(personas["leader"], [full()])  # sees the county's ledgers, may not change them
    assert any(c == "单位代码" and "decisions.scope" in m for _r, c, m in errors(result))
    assert nothing_written()


def test_empty_sheet_headers_only_and_extra_columns(tree, personas):
    actor = personas["county_admin"]
    with translation.override("en"):
        empty = import_run(DecisionImporter(actor=actor), make_xlsx([]))
    assert not empty.ok and empty.errors
    assert not run(actor, []).ok
    extra = run(actor, [[*full(), "多余"]], header=[*HEADER, "附加"])
    assert not extra.ok and any(c == "附加" for _r, c, _m in errors(extra)), errors(extra)
    assert nothing_written()


# --- random rows: exactly what was given, or nothing ----------------------------------------------------------

POOLS = {
    "org_code": ["990101", "990101001", "990199", "990102", None],
    "year": [2026, 2025, "去年", None],
    "title": ["事项甲", "事项乙", "事项丙", None],
    "category": ["公用事业价格", "重大公共政策", "其他", "杂项", None],
    "technical": ["是", "否", None, "也许"],
    "public_comment_required": ["是", "否", None],
    "hearing_required": ["是", "否", None],
    "status": ["已决策", "已列入目录", "已撤回", None],
    "evaluation_finding": [None, "良好"],
    "note": [None, "说明"],
}
DATES = [None, D(2026, 3, 2), D(2026, 4, 1), D(2026, 4, 7), D(2026, 4, 20), D(2026, 4, 28), D(2026, 5, 1), "昨天"]


def _row():
    valid = st.sampled_from(["事项甲", "事项乙", "事项丙"]).map(lambda title: full(title=title))
    random_row = st.tuples(*(st.sampled_from(POOLS.get(k, DATES)) for k in KEYS)).map(list)
    mutated = st.tuples(valid, st.sampled_from(KEYS), st.sampled_from(DATES)).map(
        lambda t: [t[2] if k == t[1] else v for k, v in zip(KEYS, t[0], strict=True)]
    )
    return st.one_of(random_row, mutated, valid)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_row(), min_size=1, max_size=5))
def test_random_rows_import_exactly_or_nothing(tree, personas, rows):
    with transaction.atomic():
        result = run(personas["county_admin"], rows)
        stored = sorted(
            (d.org.code, d.year, d.title, d.status, d.procedures.count())
            for d in Decision.objects.select_related("org")
        )
        if result.ok:
            org, year, title, status = (KEYS.index(k) for k in ("org_code", "year", "title", "status"))
            statuses = {"已决策": "decided", "已列入目录": "catalogued", "已撤回": "withdrawn", None: "catalogued"}
            given_rows = sorted((r[org], r[year], r[title], statuses[r[status]], len(_steps_of(r))) for r in rows)
            assert stored == given_rows
            assert AuditEvent.objects.filter(action="decisions.decision.imported").count() == len(rows)
        else:
            assert stored == [] and result.errors
            assert not AuditEvent.objects.filter(action__startswith="decisions.").exists()
        transaction.set_rollback(True)


def _steps_of(row) -> set[str]:
    from fazhi.ledgers.decisions.importers import STEP_COLUMNS

    values = dict(zip(KEYS, row, strict=True))
    return {
        kind
        for kind, (start, end) in STEP_COLUMNS.items()
        if values[end] is not None or (start and values[start] is not None)
    }


def test_the_command_exports_what_the_user_sees_and_imports_it_again(tree, personas, tmp_path):
    from django.core.management import call_command

    make_decided(tree.township, title="镇里已决策")
    make_decision(tree.other_county, title="别的县")
    path = tmp_path / "decisions.xlsx"
    call_command("ledgers", "export", "decisions", str(path), "--as", "township_clerk")
    cells = read_xlsx(path.read_bytes())
    assert [row[KEYS.index("title")] for row in cells[1:]] == ["镇里已决策"]
    Decision.objects.filter(title="镇里已决策").delete()
    call_command("ledgers", "import", "decisions", str(path), "--as", "township_clerk")
    decision = Decision.objects.get(title="镇里已决策")
    assert decision.status == "decided" and decision.procedures.count() == 4
