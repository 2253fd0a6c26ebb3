"""The import of normative documents: the bad-input catalogue (each refused with row, column and rule, nothing
written), a valid file with statuses and numbers, the export imported again, and random rows (exactly what was
given, or nothing)."""

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
from fazhi.ledgers.documents.importers import DocumentImporter, document_export_row
from fazhi.ledgers.documents.models import Document, RegistrationCounter
from tests.ledgers.documents.factories import document_through
from tests.spreadsheets import make_xlsx, read_xlsx

D = dt.date
KEYS = [c.key for c in DocumentImporter.columns]
HEADER = [c.header for c in DocumentImporter.columns]


def full(**overrides):
    """A complete published document of 青山县 (990101), registered by its justice bureau's code given per test."""
    row = {
        "org_code": "990101",
        "title": "青山县城市绿化管理办法",
        "provisional": "否",
        "affects_rights": "是",
        "drafted_on": D(2025, 1, 6),
        "comment_start": D(2025, 2, 3),
        "comment_end": D(2025, 3, 5),
        "review_submitted_on": D(2025, 3, 10),
        "review_reported_on": D(2025, 3, 24),
        "review_outcome": "通过",
        "decided_on": D(2025, 4, 8),
        "decision_meeting": "县政府第12次常务会议",
        "office_code": "990101",
        "registered_on": D(2025, 4, 15),
        "registration_serial": None,
        "number_prefix": "青政规",
        "number_serial": 1,
        "effective_from": D(2025, 5, 1),
        "expires_on": D(2030, 4, 30),
        "published_on": D(2025, 4, 20),
        "channel": "政府网站",
        "filed_on": D(2025, 5, 9),
        "filing_outcome": "符合",
        "evaluated_on": None,
    }
    row.update(overrides)
    return [row[k] for k in KEYS]


def drafting(**overrides):
    blank = dict.fromkeys(KEYS[4:])
    blank.update(overrides)
    return full(**{"affects_rights": "否", **blank})


def run(actor, rows, *, header=HEADER, dry_run=False):
    with translation.override("en"):
        return import_run(DocumentImporter(actor=actor), make_xlsx([header, *rows]), dry_run=dry_run)


def errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def nothing_written():
    return not Document.objects.exists() and not AuditEvent.objects.filter(action__startswith="documents.").exists()


def test_registered_for_the_command():
    assert importers()["documents"] is DocumentImporter


def test_a_valid_file_imports_with_statuses_numbers_and_audit(tree, personas):
    result = run(
        personas["county_admin"],
        [
            full(),
            full(title="第二个办法", number_serial=2, registration_serial=None, filed_on=D(2025, 6, 30)),
            drafting(title="起草中的办法", drafted_on=D(2025, 9, 1)),
            drafting(
                title="待审核",
                review_submitted_on=D(2025, 9, 26),
            ),
        ],
    )
    assert result.ok, errors(result)
    documents = {d.title: d for d in Document.objects.all()}
    first = documents["青山县城市绿化管理办法"]
    assert first.status == "in_force" and first.document_number == "青政规〔2025〕1号"
    assert first.registration_number == "990101-2025-0001" and documents["第二个办法"].registration_serial == 2
    assert first.filed_on_time is True and documents["第二个办法"].filed_on_time is False
    assert documents["起草中的办法"].status == "drafting"
    assert documents["待审核"].status == "review" and documents["待审核"].review_due == D(2025, 10, 23)
    assert RegistrationCounter.objects.get(office=tree.county, year=2025).last == 2
    assert AuditEvent.objects.filter(action="documents.document.created").count() == 4


def test_the_export_imports_again(tree, personas):
    document_through(tree.county, title="县文件", office=tree.justice_bureau)
    document_through(tree.township, "review", title="镇文件")
    rows = [document_export_row(d) for d in Document.objects.select_related("org", "registering_office")]
    data = export_rows(DocumentImporter, rows)
    cells = read_xlsx(data)
    Document.objects.all().delete()
    RegistrationCounter.objects.all().delete()
    with translation.override("en"):
        result = import_run(DocumentImporter(actor=personas["county_admin"]), data)
    assert result.ok, errors(result)
    assert sorted(Document.objects.values_list("title", "status")) == [("县文件", "in_force"), ("镇文件", "review")]
    assert len(cells) == 3


def test_the_template_downloads_with_every_column():
    cells = read_xlsx(import_template(DocumentImporter))
    assert cells[0] == HEADER


# The catalogue: (what, rows, (row, column header, rule)).
CATALOGUE = [
    ("a date that is text", [full(published_on="去年")], (2, "公布日期", "documents.cell_type")),
    ("a number where a date is expected", [full(filed_on=12)], (2, "备案日期", "documents.cell_type")),
    ("a yes/no that is neither", [full(affects_rights="也许")], (2, "涉及权利义务", "documents.cell_type")),
    ("an unknown outcome", [full(review_outcome="差不多")], (2, "审核结论", "documents.cell_type")),
    ("dates in the wrong order", [full(review_reported_on=D(2025, 3, 1))], (2, "审核意见日期", "documents.date_order")),
    (
        "a comment period ending before it starts",
        [full(comment_end=D(2025, 2, 1))],
        (2, "征求意见结束", "documents.date_order"),
    ),
    ("a validity period too long", [full(expires_on=D(2030, 5, 1))], (2, "有效期至", "documents.validity_too_long")),
    (
        "a provisional document for three years",
        [full(title="青山县河道管理暂行办法", expires_on=D(2028, 4, 30))],
        (2, "有效期至", "documents.validity_too_long"),
    ),
    (
        "registered without a collective decision",
        [full(decided_on=None, decision_meeting=None)],
        (2, "集体审议日期", "documents.registration_needs_review_and_decision"),
    ),
    (
        "a decision after a failed review",
        [full(review_outcome="不通过")],
        (2, "集体审议日期", "documents.decision_needs_review"),
    ),
    (
        "no public comment though rights are affected",
        [full(comment_start=None, comment_end=None)],
        (2, "征求意见开始", "documents.comment_required"),
    ),
    ("an unknown org code", [full(org_code="990199")], (2, "制定机关代码", "documents.unknown_org")),
    ("an org outside the scope", [full(org_code="990102")], (2, "制定机关代码", "documents.unknown_org")),
    (
        "duplicate document numbers",
        [full(), full(title="另一个", registration_serial=None)],
        (3, "发文序号", "documents.number_taken"),
    ),
    (
        "duplicate registration numbers",
        [full(registration_serial=1), full(title="另一个", number_serial=2, registration_serial=1)],
        (3, "登记序号", "documents.registration_taken"),
    ),
    (
        "a gap in the registration numbers",
        [full(registration_serial=2)],
        (2, "登记序号", "documents.registration_gap"),
    ),
    ("published but never registered", [full(registered_on=None)], (2, "登记日期", "documents.step_missing")),
    ("a filing before publication", [full(filed_on=D(2025, 4, 19))], (2, "备案日期", "documents.date_order")),
]


@pytest.mark.parametrize("what, rows, expected", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_bad_input_is_refused_naming_row_column_and_rule(tree, personas, what, rows, expected):
    result = run(personas["county_admin"], rows)
    assert not result.ok
    row, column, rule = expected
    assert any(r == row and c == column and f"rule {rule}" in m for r, c, m in errors(result)), errors(result)
    assert nothing_written()


def test_a_number_already_used_in_the_ledger_is_refused(tree, personas):
    document_through(tree.county, office=tree.county)  # 青政规〔2025〕1号, registration 0001
    before = Document.objects.count()
    result = run(personas["county_admin"], [full(registration_serial=1)])
    found = errors(result)
    assert any(c == "发文序号" and "documents.number_taken" in m for _r, c, m in found)
    assert any(c == "登记序号" and "documents.registration_taken" in m for _r, c, m in found)
    assert Document.objects.count() == before


def test_a_clerk_cannot_import_into_the_county(tree, personas):
    result = run(personas["township_clerk"], [full()])
    assert any(c == "制定机关代码" and "documents.unknown_org" in m for _r, c, m in errors(result))
    result = run(personas["reviewer"], [full()])  # sees the county, may not edit its ledger
    assert any(c == "制定机关代码" and "documents.scope" in m for _r, c, m in errors(result))
    assert nothing_written()


def test_empty_sheet_headers_only_and_extra_columns(tree, personas):
    actor = personas["county_admin"]
    with translation.override("en"):
        empty = import_run(DocumentImporter(actor=actor), make_xlsx([]))
    assert not empty.ok and empty.errors
    assert not run(actor, []).ok
    extra = run(actor, [[*full(), "多余"]], header=[*HEADER, "备注"])
    assert not extra.ok and any(e.column == "备注" for e in extra.errors)
    assert nothing_written()


# --- Random rows ------------------------------------------------------------------------------------------------------

POOLS = {
    "org_code": ["990101", "990101001", "990102", "990199", 990101.0],
    "title": ["青山县办法", "城关镇暂行规定", "", "试行细则"],
    "provisional": [None, "是", "否", "?"],
    "affects_rights": [None, "是", "否"],
    "review_outcome": [None, "通过", "不通过", "修改后通过"],
    "decision_meeting": [None, "常务会议"],
    "office_code": [None, "990101", "990199"],
    "registration_serial": [None, 1, 2, 0],
    "number_prefix": [None, "青政规"],
    "number_serial": [None, 1, 2, 3],
    "channel": [None, "政府网站", "政府公报", "飞鸽"],
    "filing_outcome": [None, "符合"],
}
DATES = [None, D(2025, 1, 6), D(2025, 3, 10), D(2025, 4, 15), D(2025, 5, 1), D(2026, 4, 30), D(2030, 4, 30), "昨天"]


def _cell(key):
    return st.sampled_from(POOLS.get(key, DATES))


def _row():
    valid = st.builds(lambda: full())
    random_row = st.tuples(*(_cell(k) for k in KEYS)).map(list)
    mutated = st.tuples(valid, st.sampled_from(KEYS), st.sampled_from(DATES)).map(
        lambda t: [t[2] if k == t[1] else v for k, v in zip(KEYS, t[0], strict=True)]
    )
    return st.one_of(random_row, mutated, valid)


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_row(), min_size=1, max_size=5))
def test_random_rows_import_exactly_or_nothing(tree, personas, rows):
    with transaction.atomic():
        result = run(personas["county_admin"], rows)
        stored = sorted(
            (d.org.code, d.title, d.published_on, d.expires_on, d.number_serial)
            for d in Document.objects.select_related("org")
        )
        if result.ok:
            title, published, expires, number = (
                KEYS.index(k) for k in ("title", "published_on", "expires_on", "number_serial")
            )
            given_rows = sorted(
                (str(int(r[0])) if isinstance(r[0], float) else r[0], r[title], r[published], r[expires], r[number])
                for r in rows
            )
            assert stored == given_rows
            assert AuditEvent.objects.filter(action="documents.document.created").count() == len(rows)
            serials = sorted(
                Document.objects.exclude(registration_serial=None).values_list("registration_serial", flat=True)
            )
            assert serials == list(range(1, len(serials) + 1))
        else:
            assert stored == [] and result.errors
            assert not AuditEvent.objects.filter(action__startswith="documents.").exists()
        transaction.set_rollback(True)
