"""Spreadsheets of the enforcement ledger: officers (with their certificate), the year's exams and training, and
the reviewed case files. Registered as "enforcement.officers", "enforcement.exams" and "enforcement.case_files".

Each row gets the rules of the services (``rules.py``) while the file is checked, so a dry run reports every
problem; the write goes through the services inside the import's one transaction (all or nothing).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.core.cells import CellInvalid
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.imports import Choice, Column, Importer, Row, RowRefused, boolean, code, date, integer, text
from fazhi.ledgers.enforcement import rules, services
from fazhi.ledgers.enforcement.checklist import CHECKLIST
from fazhi.ledgers.enforcement.models import Absence, CaseFile, Certificate, Officer, OfficerYear
from fazhi.orgs import roles
from fazhi.orgs.access import scope_paths
from fazhi.orgs.models import Org

CHUNK = 500
# Each error names the rule it breaks (the same codes as the services' DomainError.rule).
TAKEN_ID = " (enforcement.id_number_taken)"
TAKEN_NUMBER = " (enforcement.certificate_number_taken)"
CASE_DUPLICATE = " (enforcement.case_file_duplicate)"

ABSENCE_ALIASES = {
    rules.PRESENT: ("参考", "否", "无"),
    rules.EXCUSED: ("请假", "有故缺考", "因故缺考", "有正当理由缺考"),
    rules.UNEXCUSED: ("无故缺考", "缺考", "旷考"),
}


def hours():
    """Hours: a number from 0 to 1000 with at most one decimal (1.5)."""

    def parse(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise CellInvalid(_("expected a number of hours"))
        if isinstance(value, float) and not math.isfinite(value):
            raise CellInvalid(_("expected a number of hours"))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise CellInvalid(_("expected a number of hours")) from None
        if not number.is_finite() or number != number.quantize(Decimal("0.1")):
            raise CellInvalid(_("hours are given to at most one decimal, e.g. 1.5"))
        if not 0 <= number <= rules.MAX_TRAINING_HOURS:
            raise CellInvalid(_("hours are from 0 to %(max)s") % {"max": rules.MAX_TRAINING_HOURS})
        return number.quantize(Decimal("0.1"))

    return parse


def _chunks(values):
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class _EditScope:
    def __init__(self, user):
        self.paths = scope_paths(user, roles.LEDGER_EDIT)

    def covers(self, path: str) -> bool:
        return self.paths is None or any(path.startswith(p) for p in self.paths)


def _orgs_by_code(codes) -> dict[str, Org]:
    found = {}
    for chunk in _chunks(codes):
        found.update(
            (o.code, o) for o in Org.objects.filter(code__in=chunk).only("pk", "code", "name", "path", "is_active")
        )
    return found


class _EnforcementImporter(Importer):
    capability: ClassVar[str] = roles.LEDGER_EDIT
    # The rule's field → the column that shows it.
    fields: ClassVar[dict[str, str]] = {}

    def report(self, row: Row, problems) -> None:
        for field, problem in problems:
            key = self.fields.get(field, field)
            if key not in {c.key for c in self.columns}:
                key = None
            if key is None or key not in row.failed:
                row.error(key, f"{translate(problem)} ({services.rule_for(field)})")

    def bulk(self, rows: list[Row], service, drafts) -> None:
        """Write through a bulk service; a refusal names the draft index and field ("3:number"): row and column."""
        try:
            service(actor=self.actor, drafts=drafts)
        except DomainError as error:
            index, _sep, field = (error.field or "").partition(":")
            row = rows[int(index)] if index.isdigit() else rows[0]
            key = self.fields.get(field, field)
            raise RowRefused(
                row, key if key in {c.key for c in self.columns} else None, f"{error.message} ({error.rule})"
            ) from None

    # How the checked rows are written: a bulk service of ``services`` taking ``drafts``, one draft a row, and
    # the job page's message (with ``%(count)d``).
    bulk_service: ClassVar[Any] = None
    written: ClassVar[Any] = ""

    def draft(self, row: Row):
        raise NotImplementedError

    def write(self, rows):
        self.bulk(rows, self.bulk_service, [self.draft(row) for row in rows])
        return [str(self.written) % {"count": len(rows)}]

    @classmethod
    def export_queryset(cls, scope: Q):
        """The records of the export, whose org lies in ``scope`` (a Q over ``org__path``)."""
        raise NotImplementedError

    @classmethod
    def export_rows(cls, scope: Q):
        return cls.rows_of(cls.export_queryset(scope))

    @staticmethod
    def once(row: Row, column: str, key, *, known, seen: dict, already: str, repeats: str, rule: str) -> None:
        """``key`` (an ID number, a certificate number, a case file…) may stand once: an error on ``column`` when
        it is ``known`` (already recorded) or ``seen`` in an earlier row of the file (``repeats`` names that row)."""
        if key in known:
            row.error(column, already + rule)
        elif key in seen:
            row.error(column, repeats % {"row": seen[key]} + rule)
        else:
            seen[key] = row.number

    def org_of(self, row: Row, orgs: dict[str, Org], scope: _EditScope) -> Org | None:
        value = row["org_code"]
        if value is None:
            return None
        org = orgs.get(value)
        if org is None or not scope.covers(org.path):
            row.error(
                "org_code",
                _("no organisation with code %(code)s whose ledger you may change") % {"code": value}
                + " (enforcement.unknown_org)",
            )
            return None
        if not org.is_active:
            row.error(
                "org_code",
                _("%(name)s is no longer active: its ledger takes no new records") % {"name": org.name}
                + " (enforcement.org_inactive)",
            )
            return None
        return org


ORG_COLUMN = Column(
    "org_code",
    "单位代码",
    gettext_lazy("Organisation code"),
    required=True,
    parse=code(max_length=18),
    help=gettext_lazy("The code of the organisation whose ledger the row belongs to."),
    example="990101",
    text_format=True,
    width=22,
)
ID_COLUMN = Column(
    "id_number",
    "身份证号码",
    gettext_lazy("ID number"),
    required=True,
    parse=code(max_length=32),
    help=gettext_lazy("The officer's ID card number (personal data: never shown on public pages)."),
    example="990101198001011234",
    aliases=("证件号码",),
    text_format=True,
    width=22,
)


# --- Officers ----------------------------------------------------------------------------------------------


class OfficerImporter(_EnforcementImporter):
    kind = "ledgers.enforcement.officers"
    title = gettext_lazy("Import enforcement officers")
    sheet_name = "执法人员"
    fields = {"number": "certificate_number"}
    columns = (
        ORG_COLUMN,
        Column("name", "姓名", gettext_lazy("Name"), required=True, parse=text(max_length=100), example="张三"),
        ID_COLUMN,
        Column(
            "certificate_number",
            "执法证号",
            gettext_lazy("Certificate number"),
            parse=code(max_length=40),
            help=gettext_lazy("Unique. Leave the three certificate columns empty for an officer without one."),
            example="99010120250001",
            text_format=True,
            width=20,
        ),
        Column("issued_on", "发证日期", gettext_lazy("Issued on"), parse=date(), example="2025-01-10"),
        Column(
            "expires_on",
            "有效期至",
            gettext_lazy("Expires on"),
            parse=date(),
            help=gettext_lazy("After the issue date."),
            example="2030-01-09",
        ),
        Column(
            "joined_on",
            "任职日期",
            gettext_lazy("In post since"),
            parse=date(),
            help=gettext_lazy("The day the officer took up enforcement duties; empty: counted as in post throughout."),
        ),
        Column(
            "left_on",
            "离岗日期",
            gettext_lazy("Left the post on"),
            parse=date(),
            help=gettext_lazy("Empty while the officer is in post."),
        ),
    )
    notes = (
        gettext_lazy(
            "Each row adds a new officer; an ID number already recorded, or repeated in the file, is an error. "
            "Add later certificates on the officer's page."
        ),
    )
    example_rows = (
        {
            "org_code": "990101",
            "name": "张三",
            "id_number": "990101198001011234",
            "certificate_number": "99010120250001",
            "issued_on": "2025-01-10",
            "expires_on": "2030-01-09",
        },
    )

    def prepare(self, rows):
        self.scope = _EditScope(self.actor)
        self.orgs = _orgs_by_code({r["org_code"] for r in rows if r["org_code"]})
        ids = {r["id_number"] for r in rows if r["id_number"]}
        numbers = {r["certificate_number"] for r in rows if r["certificate_number"]}
        self.known_ids = set()
        for chunk in _chunks(ids):
            self.known_ids.update(Officer.objects.filter(id_number__in=chunk).values_list("id_number", flat=True))
        self.known_numbers = set()
        for chunk in _chunks(numbers):
            self.known_numbers.update(Certificate.objects.filter(number__in=chunk).values_list("number", flat=True))
        self.seen_ids: dict[str, int] = {}
        self.seen_numbers: dict[str, int] = {}

    def check_row(self, row):
        row.org = self.org_of(row, self.orgs, self.scope)
        if row["name"] is not None and row["id_number"] is not None:
            self.report(
                row,
                rules.officer_problems(
                    name=row["name"], id_number=row["id_number"], joined_on=row["joined_on"], left_on=row["left_on"]
                ),
            )
        number = row["certificate_number"]
        certificate_given = number or row["issued_on"] or row["expires_on"]
        if certificate_given and not {"certificate_number", "issued_on", "expires_on"} & row.failed:
            self.report(
                row,
                rules.certificate_problems(
                    number=number or "", issued_on=row["issued_on"], expires_on=row["expires_on"]
                ),
            )
        if row["id_number"]:
            self.once(
                row,
                "id_number",
                row["id_number"],
                known=self.known_ids,
                seen=self.seen_ids,
                already=_("an officer with this ID number is already recorded"),
                repeats=_("repeats the ID number of row %(row)d"),
                rule=TAKEN_ID,
            )
        if number:
            self.once(
                row,
                "certificate_number",
                number,
                known=self.known_numbers,
                seen=self.seen_numbers,
                already=_("this certificate number is already recorded"),
                repeats=_("repeats the certificate number of row %(row)d"),
                rule=TAKEN_NUMBER,
            )

    bulk_service = staticmethod(services.officer_bulk_create)
    written = gettext_lazy("Added %(count)d enforcement officers.")

    def draft(self, row):
        return services.OfficerDraft(
            org=row.org,
            name=row["name"],
            id_number=row["id_number"],
            certificate_number=row.get("certificate_number", ""),
            issued_on=row["issued_on"],
            expires_on=row["expires_on"],
            joined_on=row["joined_on"],
            left_on=row["left_on"],
        )

    @classmethod
    def export_queryset(cls, scope: Q):
        return Officer.objects.filter(scope).select_related("org").order_by("org__path", "name", "pk")

    @classmethod
    def rows_of(cls, officers):
        for officer in officers.prefetch_related("certificates").iterator(chunk_size=1000):
            certificates = sorted(officer.certificates.all(), key=lambda c: (c.expires_on, c.pk))
            latest = certificates[-1] if certificates else None
            yield {
                "org_code": officer.org.code,
                "name": officer.name,
                "id_number": officer.id_number,
                "certificate_number": latest.number if latest else None,
                "issued_on": latest.issued_on if latest else None,
                "expires_on": latest.expires_on if latest else None,
                "joined_on": officer.joined_on,
                "left_on": officer.left_on,
            }


# --- Exams and training -------------------------------------------------------------------------------------


def _absence_column(key: str, header: str, label) -> Column:
    return Column(
        key,
        header,
        label,
        parse=Choice(Absence.choices, ABSENCE_ALIASES),
        help=gettext_lazy("Empty or 参考 when the officer sat the exam; 请假 (excused) or 无故缺考 (unexcused)."),
        width=14,
    )


class ExamImporter(_EnforcementImporter):
    kind = "ledgers.enforcement.exams"
    title = gettext_lazy("Import enforcement exams and training")
    sheet_name = "考试培训"
    columns = (
        ID_COLUMN,
        Column("year", "年度", gettext_lazy("Year"), required=True, parse=integer(), example=2025, width=8),
        Column(
            "general_score",
            "通用法律知识考试成绩",
            gettext_lazy("General-law exam score"),
            parse=integer(),
            help=gettext_lazy("0 to 100; empty when absent or not yet known."),
            example=86,
        ),
        _absence_column("general_absence", "通用法律知识考试缺考", gettext_lazy("General-law exam absence")),
        Column(
            "special_score",
            "专门法律知识考试成绩",
            gettext_lazy("Specialised exam score"),
            parse=integer(),
            help=gettext_lazy("0 to 100; empty when absent or not yet known."),
            example=78,
        ),
        _absence_column("special_absence", "专门法律知识考试缺考", gettext_lazy("Specialised exam absence")),
        Column(
            "training_hours",
            "培训学时",
            gettext_lazy("Training hours"),
            parse=hours(),
            help=gettext_lazy("Hours of training in the year (empty: 0)."),
            example=64,
        ),
    )
    notes = (
        gettext_lazy(
            "One row per officer and year; a row replaces what was recorded for that officer and year. The officer "
            "must already be in the ledger, in an organisation whose ledger you may change."
        ),
    )
    example_rows = (
        {
            "id_number": "990101198001011234",
            "year": 2025,
            "general_score": 86,
            "special_score": 78,
            "training_hours": 64,
        },
    )

    def prepare(self, rows):
        self.scope = _EditScope(self.actor)
        ids = {r["id_number"] for r in rows if r["id_number"]}
        self.officers: dict[str, Officer] = {}
        for chunk in _chunks(ids):
            self.officers.update(
                (o.id_number, o) for o in Officer.objects.filter(id_number__in=chunk).select_related("org")
            )
        self.seen: dict[tuple, int] = {}

    def check_row(self, row):
        id_number = row["id_number"]
        row.officer = self.officers.get(id_number) if id_number else None
        if id_number and (row.officer is None or not self.scope.covers(row.officer.org.path)):
            row.officer = None
            row.error(
                "id_number",
                _("no officer with this ID number in a ledger you may change") + " (enforcement.unknown_officer)",
            )
        if row["year"] is not None:
            problems = rules.officer_year_problems(
                year=row["year"],
                general_score=row["general_score"],
                general_absence=row.get("general_absence", ""),
                special_score=row["special_score"],
                special_absence=row.get("special_absence", ""),
                training_hours=row["training_hours"],
            )
            self.report(row, problems)
            if id_number:
                self.once(
                    row,
                    "year",
                    (id_number, row["year"]),
                    known=(),
                    seen=self.seen,
                    already="",
                    repeats=_("repeats the officer and year of row %(row)d"),
                    rule=" (enforcement.officer_year_duplicate)",
                )

    bulk_service = staticmethod(services.officer_year_bulk_record)
    written = gettext_lazy("Recorded the exams and training of %(count)d officer-years.")

    def draft(self, row):
        return services.YearDraft(
            officer=row.officer,
            year=row["year"],
            general_score=row["general_score"],
            general_absence=row.get("general_absence", ""),
            special_score=row["special_score"],
            special_absence=row.get("special_absence", ""),
            training_hours=row["training_hours"],
        )

    @classmethod
    def export_queryset(cls, scope: Q):
        return (
            OfficerYear.objects.filter(scope).select_related("officer").order_by("-year", "org__path", "officer__name")
        )

    @classmethod
    def rows_of(cls, years):
        for y in years.iterator(chunk_size=1000):
            yield {
                "id_number": y.officer.id_number,
                "year": y.year,
                "general_score": y.general_score,
                "general_absence": y.general_absence or None,
                "special_score": y.special_score,
                "special_absence": y.special_absence or None,
                "training_hours": y.training_hours,
            }


# --- Case files ---------------------------------------------------------------------------------------------

_FLAG_HELP = gettext_lazy("是 or 否 (empty: 否).")


def _flag(key: str, header: str, label) -> Column:
    return Column(key, header, label, parse=boolean(), help=_FLAG_HELP, width=12)


class CaseFileImporter(_EnforcementImporter):
    kind = "ledgers.enforcement.case_files"
    title = gettext_lazy("Import reviewed case files")
    sheet_name = "案卷评查"
    columns = (
        ORG_COLUMN,
        Column("year", "评查年度", gettext_lazy("Review year"), required=True, parse=integer(), example=2025, width=10),
        Column(
            "case_number",
            "案卷编号",
            gettext_lazy("Case number"),
            required=True,
            parse=text(max_length=100),
            help=gettext_lazy("Unique per organisation and review year (e.g. the decision's document number)."),
            example="青市监罚〔2025〕12号",
            width=24,
        ),
        Column(
            "title",
            "案由",
            gettext_lazy("Case"),
            required=True,
            parse=text(max_length=200),
            example="销售过期食品案",
            width=30,
        ),
        Column(
            "reviewed_on", "评查日期", gettext_lazy("Reviewed on"), required=True, parse=date(), example="2025-11-20"
        ),
        Column(
            "score",
            "评查得分",
            gettext_lazy("Score"),
            parse=integer(),
            help=gettext_lazy(
                "0 to 100. May be left empty when the checklist columns are filled (their sum is taken)."
            ),
            example=92,
        ),
        *(
            Column(
                f"item_{item.code}",
                item.header,
                gettext_lazy("Checklist: %(title)s") % {"title": item.title},
                parse=integer(),
                help=gettext_lazy("0 to %(points)d points.") % {"points": item.points},
                width=10,
            )
            for item in CHECKLIST
        ),
        _flag("full_record", "全过程记录", gettext_lazy("Full-process records kept")),
        _flag("major", "重大执法决定", gettext_lazy("Major enforcement decision")),
        _flag("legal_review", "法制审核", gettext_lazy("Legal review before the decision")),
        _flag("disclosed", "决定公示", gettext_lazy("Decision disclosed")),
        _flag("online", "网上办理", gettext_lazy("Handled online")),
    )
    notes = (
        gettext_lazy(
            "Each row adds a reviewed case file. Give either the score or every checklist column; when both are "
            "given the score must be the checklist's sum."
        ),
    )
    example_rows = (
        {
            "org_code": "990101",
            "year": 2025,
            "case_number": "青市监罚〔2025〕12号",
            "title": "销售过期食品案",
            "reviewed_on": "2025-11-20",
            "score": 92,
            "full_record": "是",
            "major": "否",
            "disclosed": "是",
            "online": "是",
        },
    )

    def prepare(self, rows):
        self.scope = _EditScope(self.actor)
        self.orgs = _orgs_by_code({r["org_code"] for r in rows if r["org_code"]})
        keys = {(r["org_code"], r["year"], r["case_number"]) for r in rows if r["case_number"]}
        org_ids = {o.pk for o in self.orgs.values()}
        numbers = {k[2] for k in keys}
        self.known = set()
        for chunk in _chunks(numbers):
            self.known.update(
                CaseFile.objects.filter(case_number__in=chunk, org_id__in=org_ids).values_list(
                    "org__code", "year", "case_number"
                )
            )
        self.seen: dict[tuple, int] = {}

    def items(self, row: Row) -> dict[str, int]:
        return {item.code: row[f"item_{item.code}"] for item in CHECKLIST if row[f"item_{item.code}"] is not None}

    def check_row(self, row):
        row.org = self.org_of(row, self.orgs, self.scope)
        items = self.items(row)
        if items and len(items) != len(CHECKLIST):
            row.error(None, _("fill in every checklist column, or none of them") + " (enforcement.checklist)")
        if (
            row["year"] is not None
            and not ({"score", "reviewed_on"} | {f"item_{i.code}" for i in CHECKLIST}) & row.failed
        ) and row["reviewed_on"] is not None:
            self.report(
                row,
                rules.case_file_problems(
                    year=row["year"], reviewed_on=row["reviewed_on"], score=row["score"], items=items
                ),
            )
        key = (row["org_code"], row["year"], row["case_number"])
        if all(k is not None for k in key):
            self.once(
                row,
                "case_number",
                key,
                known=self.known,
                seen=self.seen,
                already=_("this case file is already recorded for the organisation and year"),
                repeats=_("repeats the case file of row %(row)d"),
                rule=CASE_DUPLICATE,
            )

    bulk_service = staticmethod(services.case_file_bulk_create)
    written = gettext_lazy("Added %(count)d reviewed case files.")

    def draft(self, row):
        return services.CaseFileDraft(
            org=row.org,
            year=row["year"],
            case_number=row["case_number"],
            title=row["title"],
            reviewed_on=row["reviewed_on"],
            score=row["score"],
            items=self.items(row),
            **{flag: bool(row[flag]) for flag in services.CASE_FLAGS},
        )

    @classmethod
    def export_queryset(cls, scope: Q):
        return CaseFile.objects.filter(scope).select_related("org").order_by("-year", "org__path", "case_number")

    @classmethod
    def rows_of(cls, cases):
        for case in cases.iterator(chunk_size=1000):
            yield {
                "org_code": case.org.code,
                "year": case.year,
                "case_number": case.case_number,
                "title": case.title,
                "reviewed_on": case.reviewed_on,
                "score": case.score,
                **{f"item_{item.code}": case.items.get(item.code) for item in CHECKLIST},
                **{flag: "是" if getattr(case, flag) else "否" for flag in services.CASE_FLAGS},
            }
