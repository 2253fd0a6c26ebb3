"""The four importers: the bad-input catalogue (each refused with row, column and rule, nothing written), a
valid file imported with its audit, an export that imports again, and random rows thrown at each importer."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.imports import import_run
from fazhi.core.models import AuditEvent
from fazhi.core.xlsx import export_rows
from fazhi.ledgers.common.registry import importers
from fazhi.ledgers.disputes.importers import (
    IMPORTERS,
    DisclosureImporter,
    LitigationImporter,
    MediationImporter,
    ReconsiderationImporter,
)
from fazhi.ledgers.disputes.models import DisclosureRequest, LitigationCase, Mediation, ReconsiderationCase
from fazhi.orgs.models import subtree_q
from tests.ledgers.disputes import factories
from tests.spreadsheets import make_xlsx

D = dt.date
RECON_HEADER = ["单位代码", "案号", "被申请人", "案由", "收到申请日期", "受理日期", "承办人", "延长天数"]


def recon_row(**overrides):
    row = {
        "单位代码": "990101",
        "案号": "复1",
        "被申请人": "青山县市场监督管理局",
        "案由": "不服处罚",
        "收到申请日期": D(2026, 3, 1),
        "受理日期": D(2026, 3, 5),
        "承办人": "王某、李某",
        "延长天数": 0,
    }
    row.update(overrides)
    return [row[h] for h in RECON_HEADER]


def run(importer, rows, actor, **kwargs):
    with translation.override("en"):
        return import_run(importer(actor=actor), make_xlsx(rows), **kwargs)


def errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def nothing_written():
    return (
        not any(m.objects.exists() for m in (ReconsiderationCase, LitigationCase, Mediation, DisclosureRequest))
        and not AuditEvent.objects.filter(action__startswith="disputes.").exists()
    )


def test_importers_are_registered_by_key():
    registered = importers()
    for register, importer in IMPORTERS.items():
        assert registered[f"disputes.{register}"] is importer


def test_a_valid_file_is_imported_with_one_audit_event_per_record(tree, personas):
    admin = personas["county_admin"]
    result = run(ReconsiderationImporter, [RECON_HEADER, recon_row(), recon_row(案号="复2", 延长天数=30)], admin)
    assert result.ok, errors(result)
    cases = {c.case_number: c for c in ReconsiderationCase.objects.all()}
    assert cases["复2"].due_on == D(2026, 3, 5) + dt.timedelta(days=90)
    assert cases["复1"].handler_count == 2
    assert AuditEvent.objects.filter(action="disputes.reconsideration.created").count() == 2


def test_dry_run_writes_nothing(tree, personas):
    result = run(ReconsiderationImporter, [RECON_HEADER, recon_row()], personas["county_admin"], dry_run=True)
    assert result.ok and nothing_written()


CATALOGUE = [
    ("wrong type", [RECON_HEADER, recon_row(受理日期="下周")], 2, "受理日期", "expected a date"),
    ("wrong type (number as text)", [RECON_HEADER, recon_row(案由=12)], 2, "案由", "expected text"),
    (
        "dates in the wrong order",
        [RECON_HEADER, recon_row(), recon_row(案号="复2", 受理日期=D(2026, 2, 1))],
        3,
        "受理日期",
        "disputes.dates_order",
    ),
    ("one handler", [RECON_HEADER, recon_row(承办人="王某")], 2, "承办人", "disputes.reconsideration_handlers"),
    ("extension too long", [RECON_HEADER, recon_row(延长天数=31)], 2, "延长天数", "disputes.reconsideration_extension"),
    (
        "unknown org code",
        [RECON_HEADER, recon_row(单位代码="990199")],
        2,
        "单位代码",
        "no organisation with code 990199",
    ),
    (
        "org outside scope",
        [RECON_HEADER, recon_row(单位代码="990102")],
        2,
        "单位代码",
        "no organisation with code 990102",
    ),
    (
        "duplicate numbers",
        [RECON_HEADER, recon_row(), recon_row()],
        3,
        "案号",
        "disputes.duplicate_number",
    ),
    ("missing required cell", [RECON_HEADER, recon_row(案号=None)], 2, "案号", "required"),
]


@pytest.mark.parametrize(("name", "rows", "row", "column", "message"), CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_bad_input_catalogue(tree, personas, name, rows, row, column, message):
    result = run(ReconsiderationImporter, rows, personas["county_admin"])
    assert not result.ok
    assert any(e[0] == row and e[1] == column and message in e[2] for e in errors(result)), errors(result)
    assert nothing_written()


def test_a_number_already_in_the_register_is_refused(tree, personas):
    factories.reconsideration(tree.county, case_number="复1")
    result = run(ReconsiderationImporter, [RECON_HEADER, recon_row()], personas["county_admin"])
    assert errors(result)[0][:2] == (2, "案号") and "disputes.duplicate_number" in errors(result)[0][2]
    assert ReconsiderationCase.objects.count() == 1


def test_empty_sheet_and_no_rows_and_extra_columns(tree, personas):
    admin = personas["county_admin"]
    assert "empty" in run(ReconsiderationImporter, [], admin).errors[0].message
    assert "no data rows" in run(ReconsiderationImporter, [RECON_HEADER], admin).errors[0].message
    extra = run(ReconsiderationImporter, [[*RECON_HEADER, "备注"], [*recon_row(), "x"]], admin)
    assert extra.errors[0].column == "备注" and "Unknown column" in extra.errors[0].message
    assert nothing_written()


def test_a_clerk_cannot_import_into_the_county_ledger(tree, personas):
    result = run(ReconsiderationImporter, [RECON_HEADER, recon_row()], personas["township_clerk"])
    assert "no organisation with code 990101" in errors(result)[0][2]
    result = run(ReconsiderationImporter, [RECON_HEADER, recon_row(单位代码="990101")], personas["leader"])
    assert "may not edit" in errors(result)[0][2]


def test_other_registers_rules_in_import(tree, personas):
    admin = personas["county_admin"]
    header = ["单位代码", "编号", "调解类型", "纠纷事由", "排查日期", "调处日期", "调解结果", "结案日期"]
    result = run(
        MediationImporter,
        [header, ["990101", "调1", "人民调解", "纠纷", D(2026, 3, 1), None, "成功", D(2026, 3, 2)]],
        admin,
    )
    assert any(e[1] == "调处日期" and "disputes.mediation_order" in e[2] for e in errors(result))
    header = ["单位代码", "法院", "案号", "案由", "立案日期", "负责人是否出庭"]
    result = run(LitigationImporter, [header, ["990101", "法院", "行1", "许可", D(2026, 3, 1), "是"]], admin)
    assert any(e[1] == "负责人是否出庭" and "disputes.litigation_appearance" in e[2] for e in errors(result))
    header = ["单位代码", "编号", "申请内容", "收到申请日期", "答复日期", "答复类型"]
    result = run(DisclosureImporter, [header, ["990101", "公1", "预算", D(2026, 3, 2), D(2026, 3, 1), "公开"]], admin)
    assert any(e[1] == "答复日期" and "disputes.dates_order" in e[2] for e in errors(result))
    result = run(DisclosureImporter, [header, ["990101", "公1", "预算", D(2026, 12, 20), None, None]], admin)
    assert any(e[1] == "收到申请日期" and "calendar.year_not_covered" in e[2] for e in errors(result))
    assert nothing_written()


@pytest.mark.parametrize("register", sorted(IMPORTERS))
def test_an_export_imports_again(tree, personas, register):
    admin = personas["county_admin"]
    record = getattr(factories, register)(tree.county)
    importer = IMPORTERS[register]
    factories.mediation(tree.other_village)  # outside the scope exported
    data = export_rows(importer, list(importer.export_rows(subtree_q(tree.county.path, "org__path"))))
    type(record).objects.all().delete()
    result = import_run(importer(actor=admin), data)
    assert result.ok, errors(result)
    assert type(record).objects.get().__str__() == str(record)


# ---------------------------------------------------------------------------------------------
# Random rows


# Values that break one cell or another (and some that happen to be fine where they land).
ODD_VALUES = ["明天", 7, None, D(2020, 1, 1), D(2030, 1, 1), "王某", 31, True, "N0", "990199", "990102", "无效"]


def _rows(importer):
    """Rows from the importer's (valid) example, each numbered apart, about half with one cell replaced."""
    keys = [c.key for c in importer.columns]
    change = st.one_of(st.none(), st.tuples(st.sampled_from(keys), st.sampled_from(ODD_VALUES)))

    def build(changes):
        rows = []
        for index, changed in enumerate(changes):
            values = {**importer.example_rows[0], importer.spec().number_field: f"N{index + 1}"}
            if changed:
                values[changed[0]] = changed[1]
            rows.append([values.get(key) for key in keys])
        return rows

    return st.lists(change, min_size=1, max_size=6).map(build)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
@pytest.mark.parametrize("register", sorted(IMPORTERS))
def test_random_rows_import_exactly_or_nothing(tree, personas, register, data):
    importer = IMPORTERS[register]
    rows = data.draw(_rows(importer))
    model = importer.spec().model
    with transaction.atomic():
        result = import_run(
            importer(actor=personas["county_admin"]), make_xlsx([[c.header for c in importer.columns], *rows])
        )
        records = list(model.objects.select_related("org"))
        if result.ok:
            number = [c.key for c in importer.columns].index(importer.spec().number_field)
            given_rows = sorted((r[0], r[number]) for r in rows)
            assert sorted((rec.org.code, getattr(rec, importer.spec().number_field)) for rec in records) == given_rows
            assert AuditEvent.objects.filter(action=f"disputes.{register}.created").count() == len(rows)
        else:
            assert records == [] and result.errors
            assert not AuditEvent.objects.filter(action__startswith="disputes.").exists()
        transaction.set_rollback(True)


def test_the_ledgers_command_imports_and_exports_a_register(tree, personas, tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "recon.xlsx"
    path.write_bytes(make_xlsx([RECON_HEADER, recon_row(单位代码="990101001")]))
    with translation.override("en"):
        call_command(
            "ledgers", "import", "disputes.reconsideration", str(path), "--as", "township_clerk", stdout=io.StringIO()
        )
    case = ReconsiderationCase.objects.get()
    assert case.org == tree.township
    assert AuditEvent.objects.get(action="disputes.reconsideration.created").actor == personas["township_clerk"]


def test_an_inactive_organisation_takes_no_new_records_by_import_page_or_api(tree, personas, client_for):
    """A unit no longer active (merged, abolished) keeps its records but gets no new ones, wherever they come from."""
    from django.urls import reverse

    from fazhi.orgs.models import Org
    from fazhi.orgs.tokens import api_token_create

    Org.objects.filter(pk=tree.township.pk).update(is_active=False)
    result = run(ReconsiderationImporter, [RECON_HEADER, recon_row(单位代码="990101001")], personas["county_admin"])
    assert [(r, c) for r, c, _m in errors(result)] == [(2, "单位代码")]
    assert "disputes.org_inactive" in errors(result)[0][2]
    assert nothing_written()

    body = {"number": "调1", "kind": "peoples", "matter": "纠纷", "screened_on": "2026-03-01"}
    key = api_token_create(actor=None, user=personas["county_admin"], name="脚本")[1]
    response = client_for("county_admin").post(
        "/api/v1/ledgers/disputes/mediation",
        {"org": "990101001", **body},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert (response.status_code, response.json()["rule"]) == (400, "disputes.org_inactive")
    page = client_for("county_admin").post(reverse("mediation_create"), {"org": "990101001", **body})
    assert page.status_code == 400 and "990101001" in page.context["form"].errors["org"][0]
    assert not Mediation.objects.exists()
