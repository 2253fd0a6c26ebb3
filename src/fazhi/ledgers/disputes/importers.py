"""Spreadsheet imports of the ledger "Disputes", one per register (keys "disputes.reconsideration", …).

Each row gets the rules the services apply (``rules.py`` with the settings' figures), the org code must name an
organisation where the importer may edit the ledger, and a number may appear once per organisation (in the file
and in the database). Every broken rule is reported with its row, column and rule code; nothing is written unless
every row is valid, and then the rows are written by ``record_bulk_create`` (one audit event per record).
Exports write the same columns, so an export imports again (into another installation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.imports import Choice, Column, Row, boolean, code, date, integer, text
from fazhi.ledgers.common.importing import LedgerImporter
from fazhi.ledgers.disputes import services
from fazhi.ledgers.disputes.models import (
    DecisionType,
    DisclosureReply,
    LitigationOutcome,
    MediationKind,
    MediationOutcome,
)
from fazhi.orgs import roles
from fazhi.orgs.access import scope_paths
from fazhi.orgs.models import Org

CHUNK = 10_000

ORG_COLUMN = Column(
    "org_code",
    "单位代码",
    gettext_lazy("Organisation code"),
    required=True,
    parse=code(max_length=18),
    text_format=True,
    help=gettext_lazy("The unit whose ledger this is; you must be allowed to edit its ledger."),
    example="990101",
)

DECISION = Choice(
    DecisionType.choices,
    {
        "uphold": ("维持",),
        "revoke": ("撤销",),
        "alter": ("变更",),
        "confirm_illegal": ("确认违法",),
        "order_performance": ("责令履行",),
        "dismiss": ("驳回",),
        "mediation": ("调解",),
        "settlement": ("和解",),
        "terminate": ("终止",),
    },
)
OUTCOME = Choice(
    LitigationOutcome.choices,
    {
        "pending": ("未结", "审理中"),
        "won": ("胜诉",),
        "lost": ("败诉",),
        "withdrawn": ("撤诉",),
        "settled": ("调解和解", "调解", "和解"),
        "other": ("其他",),
    },
)
MEDIATION_KIND = Choice(
    MediationKind.choices,
    {"peoples": ("人民调解",), "administrative": ("行政调解",), "judicial": ("司法调解",)},
)
MEDIATION_OUTCOME = Choice(
    MediationOutcome.choices, {"settled": ("调解成功", "成功"), "failed": ("调解不成", "未成功")}
)
REPLY = Choice(
    DisclosureReply.choices,
    {
        "disclosed": ("予以公开", "公开"),
        "partly": ("部分公开",),
        "refused": ("不予公开",),
        "not_exist": ("信息不存在",),
        "not_ours": ("非本机关信息",),
        "other": ("其他答复", "其他"),
    },
)


def _orgs_by_code(codes: set[str]) -> dict[str, Org]:
    ordered, found = sorted(codes), {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        found.update(
            (org.code, org)
            for org in Org.objects.filter(code__in=chunk).only("pk", "name", "code", "path", "is_active")
        )
    return found


class DisputesImporter(LedgerImporter):
    """The shared checks: the org, the register's rules, a number once per organisation."""

    register: ClassVar[str] = ""

    @classmethod
    def spec(cls) -> services.RegisterSpec:
        return services.SPECS[cls.register]

    def prepare(self, rows: list[Row]) -> None:
        spec = self.spec()
        self.orgs = _orgs_by_code({row["org_code"] for row in rows if row["org_code"]})
        self.view_paths = scope_paths(self.actor, roles.LEDGER_VIEW)
        self.edit_paths = scope_paths(self.actor, roles.LEDGER_EDIT)
        numbers = sorted({row[spec.number_field] for row in rows if row[spec.number_field]})
        self.taken: set[tuple] = set()
        for start in range(0, len(numbers), CHUNK):
            existing = spec.model.objects.filter(**{f"{spec.number_field}__in": numbers[start : start + CHUNK]})
            fields = (
                ("org_id", "court", "case_number") if spec is services.LITIGATION else ("org_id", spec.number_field)
            )
            self.taken |= set(existing.values_list(*fields))
        self.seen: dict[tuple, int] = {}
        self.org_of_row: dict[int, Org] = {}

    @staticmethod
    def _covers(paths, org: Org) -> bool:
        return paths is None or any(org.path.startswith(p) for p in paths)

    def _org(self, row: Row) -> Org | None:
        org = self.orgs.get(row["org_code"] or "")
        if org is None or not self._covers(self.view_paths, org):
            if row["org_code"]:
                row.error(
                    "org_code", _("no organisation with code %(code)s exists in your scope") % {"code": row["org_code"]}
                )
            return None
        if not self._covers(self.edit_paths, org):
            row.error("org_code", _("you may not edit the ledger of %(name)s") % {"name": org.name})
            return None
        if not org.is_active:
            row.error(
                "org_code",
                _("%(name)s is no longer active: its ledger takes no new records") % {"name": org.name}
                + " (disputes.org_inactive)",
            )
            return None
        return org

    def fields(self, row: Row) -> dict[str, Any]:
        return {field: row[field] for field in self.spec().fields}

    def check_row(self, row: Row) -> None:
        spec = self.spec()
        org = self._org(row)
        if row.failed:
            return  # a cell that did not parse: the rules would only repeat it
        values = services._clean(spec, self.fields(row))
        for broken in services.problems(spec, values):
            row.error(broken.field, f"{translate(broken)} ({broken.rule})")
        if not row.problems:
            try:
                spec.derive(values)
            except DomainError as error:
                row.error(error.field, f"{error.message} ({error.rule})")
        if org is None:
            return
        key = (org.pk, *services._number_key(spec, values))
        if key in self.taken:
            row.error(
                spec.number_field,
                _("%(number)s is already in the register of %(org)s (disputes.duplicate_number)")
                % {"number": values[spec.number_field], "org": org.name},
            )
        elif key in self.seen:
            row.error(
                spec.number_field,
                _("the same number is in row %(row)d (disputes.duplicate_number)") % {"row": self.seen[key]},
            )
        else:
            self.seen[key] = row.number
        self.org_of_row[row.number] = org

    def write(self, rows: list[Row]) -> list[str]:
        spec = self.spec()
        count = services.record_bulk_create(
            spec, actor=self.actor, drafts=((self.org_of_row[row.number], self.fields(row)) for row in rows)
        )
        return [_("Imported %(count)d records into the register %(title)s.") % {"count": count, "title": self.title}]

    @classmethod
    def export_row(cls, record) -> dict[str, Any]:
        return {"org_code": record.org.code, **{field: getattr(record, field) for field in cls.spec().fields}}

    @classmethod
    def export_rows(cls, scope) -> Iterator[dict[str, Any]]:
        """The register's records whose org lies in ``scope`` (a Q over ``org__path``), in the import's columns."""
        spec = cls.spec()
        records = spec.model.objects.filter(scope).select_related("org").order_by("org__path", "pk")
        for record in records.iterator(chunk_size=2000):
            yield cls.export_row(record)


def _days(max_value: int = 365) -> Any:
    return integer(min_value=0, max_value=max_value)


def _extension_column(header: str, label) -> Column:
    return Column("extension_days", header, label, parse=_days(), help=gettext_lazy("0 or blank: none."))


# The columns reconsideration and disclosure share.
APPLICANT_COLUMN = Column(
    "applicant",
    "申请人",
    gettext_lazy("Applicant's name"),
    parse=text(max_length=100),
    help=gettext_lazy("Personal data: the name only, never contact details or ID numbers."),
)
RECEIVED_COLUMN = Column("received_on", "收到申请日期", gettext_lazy("Received on"), required=True, parse=date())


class ReconsiderationImporter(DisputesImporter):
    register = "reconsideration"
    kind = "disputes.reconsideration"
    title = gettext_lazy("Reconsideration cases")
    sheet_name = "行政复议"
    columns = (
        ORG_COLUMN,
        Column("case_number", "案号", gettext_lazy("Case number"), required=True, parse=text(max_length=64)),
        APPLICANT_COLUMN,
        Column("respondent", "被申请人", gettext_lazy("Respondent agency"), required=True, parse=text(max_length=200)),
        Column("matter", "案由", gettext_lazy("Matter"), required=True, parse=text(max_length=200)),
        RECEIVED_COLUMN,
        Column("accepted_on", "受理日期", gettext_lazy("Accepted on"), required=True, parse=date()),
        Column(
            "handlers",
            "承办人",
            gettext_lazy("Handlers"),
            required=True,
            parse=text(max_length=300),
            help=gettext_lazy("The names of the staff handling the case, separated by 、 or commas."),
        ),
        _extension_column("延长天数", gettext_lazy("Extension (days)")),
        Column("decided_on", "决定日期", gettext_lazy("Decided on"), parse=date()),
        Column("decision", "决定类型", gettext_lazy("Decision"), parse=DECISION),
        Column("act_corrected", "是否纠错", gettext_lazy("Act corrected"), parse=boolean()),
        Column("complied", "是否履行", gettext_lazy("Decision complied with"), parse=boolean()),
    )
    example_rows = (
        {
            "org_code": "990101",
            "case_number": "青复〔2026〕1号",
            "applicant": "张某",
            "respondent": "青山县市场监督管理局",
            "matter": "不服行政处罚决定",
            "received_on": dt.date(2026, 3, 2),
            "accepted_on": dt.date(2026, 3, 6),
            "handlers": "王某、李某",
            "decided_on": dt.date(2026, 4, 20),
            "decision": "revoke",
            "act_corrected": True,
            "complied": True,
        },
    )


class LitigationImporter(DisputesImporter):
    register = "litigation"
    kind = "disputes.litigation"
    title = gettext_lazy("Litigation cases")
    sheet_name = "行政应诉"
    columns = (
        ORG_COLUMN,
        Column("court", "法院", gettext_lazy("Court"), required=True, parse=text(max_length=200)),
        Column("case_number", "案号", gettext_lazy("Case number"), required=True, parse=text(max_length=64)),
        Column("matter", "案由", gettext_lazy("Matter"), required=True, parse=text(max_length=200)),
        Column("filed_on", "立案日期", gettext_lazy("Filed on"), required=True, parse=date()),
        Column("hearing_on", "开庭日期", gettext_lazy("Hearing date"), parse=date()),
        Column("head_appeared", "负责人是否出庭", gettext_lazy("Agency head appeared"), parse=boolean()),
        Column("outcome", "裁判结果", gettext_lazy("Outcome"), parse=OUTCOME, help=gettext_lazy("Blank: pending.")),
        Column("closed_on", "裁判日期", gettext_lazy("Judgment date"), parse=date()),
        Column("complied", "是否履行", gettext_lazy("Judgment complied with"), parse=boolean()),
    )
    example_rows = (
        {
            "org_code": "990101",
            "court": "云溪市中级人民法院",
            "case_number": "（2026）东01行初5号",
            "matter": "行政许可",
            "filed_on": dt.date(2026, 2, 10),
            "hearing_on": dt.date(2026, 4, 8),
            "head_appeared": True,
            "outcome": "won",
            "closed_on": dt.date(2026, 5, 20),
        },
    )


class MediationImporter(DisputesImporter):
    register = "mediation"
    kind = "disputes.mediation"
    title = gettext_lazy("Mediations")
    sheet_name = "矛盾纠纷调解"
    columns = (
        ORG_COLUMN,
        Column("number", "编号", gettext_lazy("Number"), required=True, parse=text(max_length=64)),
        Column("kind", "调解类型", gettext_lazy("Kind"), required=True, parse=MEDIATION_KIND),
        Column("matter", "纠纷事由", gettext_lazy("Matter"), required=True, parse=text(max_length=200)),
        Column(
            "parties",
            "当事人",
            gettext_lazy("Parties"),
            parse=text(max_length=200),
            help=gettext_lazy("Personal data: names only, never contact details or ID numbers."),
        ),
        Column("screened_on", "排查日期", gettext_lazy("Screened on"), required=True, parse=date()),
        Column("mediated_on", "调处日期", gettext_lazy("Mediation started on"), parse=date()),
        Column("outcome", "调解结果", gettext_lazy("Outcome"), parse=MEDIATION_OUTCOME),
        Column("concluded_on", "结案日期", gettext_lazy("Concluded on"), parse=date()),
    )
    example_rows = (
        {
            "org_code": "990101001",
            "number": "城关调〔2026〕12号",
            "kind": "peoples",
            "matter": "宅基地边界纠纷",
            "screened_on": dt.date(2026, 3, 1),
            "mediated_on": dt.date(2026, 3, 3),
            "outcome": "settled",
            "concluded_on": dt.date(2026, 3, 10),
        },
    )


class DisclosureImporter(DisputesImporter):
    register = "disclosure"
    kind = "disputes.disclosure"
    title = gettext_lazy("Disclosure requests")
    sheet_name = "依申请公开"
    columns = (
        ORG_COLUMN,
        Column("number", "编号", gettext_lazy("Number"), required=True, parse=text(max_length=64)),
        APPLICANT_COLUMN,
        Column("subject", "申请内容", gettext_lazy("Information requested"), required=True, parse=text(max_length=300)),
        RECEIVED_COLUMN,
        _extension_column("延长工作日", gettext_lazy("Extension (working days)")),
        Column("answered_on", "答复日期", gettext_lazy("Answered on"), parse=date()),
        Column("reply", "答复类型", gettext_lazy("Reply"), parse=REPLY),
    )
    example_rows = (
        {
            "org_code": "990101",
            "number": "青公开〔2026〕8号",
            "subject": "2025年度财政预算执行情况",
            "received_on": dt.date(2026, 3, 2),
            "answered_on": dt.date(2026, 3, 20),
            "reply": "disclosed",
        },
    )


IMPORTERS: dict[str, type[DisputesImporter]] = {
    cls.register: cls for cls in (ReconsiderationImporter, LitigationImporter, MediationImporter, DisclosureImporter)
}
