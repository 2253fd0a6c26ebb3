"""The spreadsheet of normative documents: what the import framework reads, and the export in the same columns.

One row per document, with the dates of the steps it has been through; its status follows from them (published:
in force; registered: awaiting publication; …). Each row gets every rule the services apply (date order, public
comment when rights or duties are affected, no registration without a passed legality review and a collective
decision, the validity period, unique document numbers, gap-free registration numbers) and the importer's scope;
the rows are written together by :func:`services.document_bulk_create`, or none is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fazhi.core.cells import CellInvalid, Choice, boolean, code, date, integer, text
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.import_spec import Column, Importer, Row, RowRefused
from fazhi.core.workdays import add_working_days
from fazhi.ledgers.documents import rules
from fazhi.ledgers.documents.models import Channel, Document, FilingOutcome, RegistrationCounter, ReviewOutcome
from fazhi.ledgers.documents.services import DocumentDraft, document_bulk_create
from fazhi.orgs import roles
from fazhi.orgs.access import scope_paths
from fazhi.orgs.models import Org

CHUNK = 500

REVIEW_ALIASES = {"pass": ("通过",), "pass_with_changes": ("修改后通过", "原则通过"), "fail": ("不通过", "未通过")}
CHANNEL_ALIASES = {
    "gazette": ("政府公报", "公报"),
    "website": ("政府网站", "门户网站"),
    "platform": ("统一发布平台", "规范性文件统一发布平台"),
    "newspaper": ("报纸",),
    "other": ("其他",),
}
FILING_ALIASES = {"conforming": ("符合", "合格"), "nonconforming": ("不符合", "需纠正")}

# The document's fields the row's columns fill directly.
DATE_KEYS = (
    "drafted_on",
    "comment_start",
    "comment_end",
    "review_submitted_on",
    "review_reported_on",
    "decided_on",
    "registered_on",
    "effective_from",
    "expires_on",
    "published_on",
    "filed_on",
    "evaluated_on",
)


def _rule_message(message: str, rule: str) -> str:
    return _("%(message)s (rule %(rule)s)") % {"message": message, "rule": rule}


TYPE_RULE = "documents.cell_type"

# The step checks' messages, made once: a lazy string per row and check was a measurable share of a large import.
NEEDS_SUBMISSION = gettext_lazy("Required: the review report needs a submission.")
REVIEW_BOTH = gettext_lazy("Give both the review report's date and its outcome.")
DECISION_NEEDS_REVIEW = gettext_lazy("A collective decision comes after a passed legality review.")
ONLY_REGISTERED = gettext_lazy("Only a registered document has this: give the registration date.")
PUBLISHED_NEEDS_REGISTERED = gettext_lazy("Required: a document is registered before it is published.")
PUBLICATION_BOTH = gettext_lazy("Give both the publication date and its channel.")
FILED_NEEDS_PUBLISHED = gettext_lazy("Required: only a published document is filed or evaluated.")
FILING_NEEDS_FILED = gettext_lazy("Required: the filing review needs the filing date.")
EVALUATION_BY_EXPIRY = gettext_lazy("The evaluation before expiry must be made by the last day in force.")
REGISTERED_NEEDS = (
    ("office_code", gettext_lazy("Required for a registered document: the registering office.")),
    ("number_prefix", gettext_lazy("Required for a registered document: the document number's prefix.")),
    ("number_serial", gettext_lazy("Required for a registered document: the document number's serial.")),
    ("effective_from", gettext_lazy("Required for a registered document: the date it is in force from.")),
    ("expires_on", gettext_lazy("Required for a registered document: the date it is in force until.")),
)


def _typed(parse):
    """The parser, with the rule named in its refusal (a wrong type or form of a cell)."""

    def wrapped(value):
        try:
            return parse(value)
        except CellInvalid as exc:
            raise CellInvalid(_rule_message(exc.message, TYPE_RULE)) from None

    return wrapped


class _Choice(Choice):
    def __call__(self, value):
        try:
            return super().__call__(value)
        except CellInvalid as exc:
            raise CellInvalid(_rule_message(exc.message, TYPE_RULE)) from None


def _orgs_by_code(codes: set[str]) -> dict[str, Org]:
    ordered, found = sorted(codes), {}
    for start in range(0, len(ordered), CHUNK):
        found.update(
            (org.code, org)
            for org in Org.objects.filter(code__in=ordered[start : start + CHUNK]).only(
                "pk", "name", "code", "path", "is_active"
            )
        )
    return found


class _Scope:
    def __init__(self, user, capability: str):
        self.paths = scope_paths(user, capability)

    def covers(self, org: Org) -> bool:
        return self.paths is None or any(org.path.startswith(p) for p in self.paths)


def _date_column(key: str, header: str, label, help_text="", **kwargs) -> Column:
    return Column(key, header, label, parse=_typed(date()), help=help_text, width=14, **kwargs)


class DocumentImporter(Importer):
    """Normative documents of organisations in the importer's ledger scope."""

    kind = "ledgers.documents"
    title = gettext_lazy("Import normative documents")
    sheet_name = "规范性文件"
    capability: ClassVar[str] = roles.LEDGER_EDIT
    columns = (
        Column(
            "org_code",
            "制定机关代码",
            gettext_lazy("Issuing organisation code"),
            required=True,
            parse=_typed(code(max_length=18)),
            help=gettext_lazy("The code of the organisation that issues the document (in your ledger scope)."),
            example="990101",
            aliases=("单位代码",),
            text_format=True,
            width=22,
        ),
        Column(
            "title",
            "文件名称",
            gettext_lazy("Title"),
            required=True,
            parse=_typed(text(max_length=300)),
            example="青山县城市道路管理暂行办法",
            aliases=("标题",),
            width=40,
        ),
        Column(
            "provisional",
            "暂行或试行",
            gettext_lazy("Provisional or trial"),
            parse=_typed(boolean()),
            help=gettext_lazy(
                "是 for a provisional (暂行) or trial (试行) document; a title with 暂行 or 试行 is one anyway."
            ),
            width=10,
        ),
        Column(
            "affects_rights",
            "涉及权利义务",
            gettext_lazy("Affects rights or duties"),
            parse=_typed(boolean()),
            help=gettext_lazy(
                "是 when it affects citizens' or organisations' rights or duties: public comment is then required."
            ),
            width=10,
        ),
        _date_column("drafted_on", "起草日期", gettext_lazy("Drafting started")),
        _date_column("comment_start", "征求意见开始", gettext_lazy("Comment period from")),
        _date_column("comment_end", "征求意见结束", gettext_lazy("Comment period to")),
        _date_column("review_submitted_on", "送审日期", gettext_lazy("Submitted for legality review")),
        _date_column("review_reported_on", "审核意见日期", gettext_lazy("Review report")),
        Column(
            "review_outcome",
            "审核结论",
            gettext_lazy("Review outcome"),
            parse=_Choice(ReviewOutcome.choices, REVIEW_ALIASES),
            width=12,
        ),
        _date_column("decided_on", "集体审议日期", gettext_lazy("Collective decision")),
        Column("decision_meeting", "审议会议", gettext_lazy("Meeting"), parse=_typed(text(max_length=200)), width=24),
        Column(
            "office_code",
            "登记机关代码",
            gettext_lazy("Registering office code"),
            parse=_typed(code(max_length=18)),
            help=gettext_lazy("The code of the office that gives the unified registration number."),
            text_format=True,
            width=22,
        ),
        _date_column("registered_on", "登记日期", gettext_lazy("Registered")),
        Column(
            "registration_serial",
            "登记序号",
            gettext_lazy("Registration serial"),
            parse=_typed(integer(min_value=1)),
            help=gettext_lazy(
                "The serial of the unified registration number in the office's year; empty: the next one. "
                "Numbers run without gaps."
            ),
            width=10,
        ),
        Column(
            "number_prefix",
            "发文字号前缀",
            gettext_lazy("Document number prefix"),
            parse=_typed(text(max_length=30)),
            example="青政规",
            width=12,
        ),
        Column(
            "number_serial",
            "发文序号",
            gettext_lazy("Document number serial"),
            parse=_typed(integer(min_value=1)),
            help=gettext_lazy(
                "The document number is prefix〔year of registration〕serial号, unique per organisation and year."
            ),
            width=10,
        ),
        _date_column("effective_from", "施行日期", gettext_lazy("In force from")),
        _date_column("expires_on", "有效期至", gettext_lazy("In force until")),
        _date_column("published_on", "公布日期", gettext_lazy("Published")),
        Column(
            "channel",
            "公布载体",
            gettext_lazy("Publication channel"),
            parse=_Choice(Channel.choices, CHANNEL_ALIASES),
            width=16,
        ),
        _date_column("filed_on", "备案日期", gettext_lazy("Filed with the government above")),
        Column(
            "filing_outcome",
            "备案审查结论",
            gettext_lazy("Filing review"),
            parse=_Choice([c for c in FilingOutcome.choices if c[0]], FILING_ALIASES),
            width=12,
        ),
        _date_column("evaluated_on", "评估日期", gettext_lazy("Evaluated before expiry")),
    )
    notes = (
        gettext_lazy(
            "Fill the dates of the steps a document has been through: its status follows (published: in force). "
            "A registered document needs a passed legality review, a collective decision, the registering office, "
            "the document number and its validity period."
        ),
    )
    example_rows = (
        {
            "org_code": "990101",
            "title": "青山县城市道路管理暂行办法",
            "provisional": True,
            "affects_rights": True,
            "drafted_on": dt.date(2025, 1, 6),
            "comment_start": dt.date(2025, 2, 3),
            "comment_end": dt.date(2025, 3, 5),
            "review_submitted_on": dt.date(2025, 3, 10),
            "review_reported_on": dt.date(2025, 3, 24),
            "review_outcome": "pass",
            "decided_on": dt.date(2025, 4, 8),
            "decision_meeting": "县政府第12次常务会议",
            "office_code": "990101",
            "registered_on": dt.date(2025, 4, 15),
            "number_prefix": "青政规",
            "number_serial": 3,
            "effective_from": dt.date(2025, 5, 1),
            "expires_on": dt.date(2027, 4, 30),
            "published_on": dt.date(2025, 4, 20),
            "channel": "website",
            "filed_on": dt.date(2025, 5, 9),
            "filing_outcome": "conforming",
        },
    )

    # --- checks ---------------------------------------------------------------------------------------------------

    def prepare(self, rows: list[Row]) -> None:
        codes = {row["org_code"] for row in rows if row["org_code"]} | {
            row["office_code"] for row in rows if row["office_code"]
        }
        self.orgs = _orgs_by_code(codes)
        self.edit = _Scope(self.actor, roles.LEDGER_EDIT)
        self.view = _Scope(self.actor, roles.ORG_VIEW)
        org_ids = {org.pk for org in self.orgs.values()}
        # Document numbers already used: (org id, year, serial).
        self.numbers_taken: set[tuple[int, int, int]] = set()
        ids = sorted(org_ids)
        for start in range(0, len(ids), CHUNK):
            self.numbers_taken.update(
                Document.objects.filter(org_id__in=ids[start : start + CHUNK], number_serial__isnull=False).values_list(
                    "org_id", "number_year", "number_serial"
                )
            )
        self.numbers_in_file: dict[tuple[int, int, int], int] = {}
        self.serials: dict[tuple[int, int], list[tuple[Row, int | None]]] = defaultdict(list)
        self.org_of: dict[int, Org] = {}
        self.office_of: dict[int, Org] = {}
        self.review_due: dict[dt.date, dt.date | DomainError] = {}

    def _error(self, row: Row, key: str | None, message: str, rule: str) -> None:
        row.error(key, _rule_message(message, rule))

    def _org(self, row: Row, key: str, *, editable: bool) -> Org | None:
        found = self.orgs.get(row[key])
        if found is None or not (self.view.covers(found) or self.edit.covers(found)):
            self._error(
                row,
                key,
                _("no organisation with code %(code)s exists in your scope") % {"code": row[key]},
                "documents.unknown_org",
            )
            return None
        if editable and not self.edit.covers(found):
            self._error(
                row, key, _("you may not edit the ledger of %(name)s") % {"name": found.name}, "documents.scope"
            )
            return None
        if not found.is_active:
            self._error(row, key, _("%(name)s is deactivated.") % {"name": found.name}, "documents.unknown_org")
            return None
        return found

    def check_row(self, row: Row) -> None:
        org = self._org(row, "org_code", editable=True) if row["org_code"] else None
        if org is not None:
            self.org_of[row.number] = org
        values = {key: row[key] for key in DATE_KEYS}
        for key, problem in rules.date_order_problems(values):
            if key not in row.failed:
                self._error(row, key, translate(problem), "documents.date_order")
        if row["comment_start"] and row["comment_end"] and row["comment_end"] < row["comment_start"]:
            self._error(
                row, "comment_end", _("The comment period cannot end before it starts."), "documents.date_order"
            )
        if (row["comment_start"] is None) != (row["comment_end"] is None):
            missing = "comment_end" if row["comment_start"] else "comment_start"
            self._error(row, missing, _("Give both ends of the comment period."), "documents.comment_period")
        if row["review_submitted_on"] and row.get("affects_rights", False):
            for key, problem in rules.comment_problems(
                affects_rights=True, comment_start=row["comment_start"], comment_end=row["comment_end"]
            ):
                if "comment_start" not in row.failed:
                    self._error(row, key, translate(problem), "documents.comment_required")
        self._check_review(row)
        self._check_steps(row)
        self._check_validity(row)
        self._check_numbers(row, org)

    def _needs(self, row: Row, key: str, earlier: str, message: str, rule: str) -> None:
        if row[key] is not None and row[earlier] is None and earlier not in row.failed:
            self._error(row, earlier, message, rule)

    def _check_review(self, row: Row) -> None:
        submitted = row["review_submitted_on"]
        if submitted and "review_submitted_on" not in row.failed:
            # The same submission date gives the same due date: computed once per date in a file.
            if submitted not in self.review_due:
                try:
                    self.review_due[submitted] = add_working_days(
                        submitted, settings.FAZHI_DOCUMENT_REVIEW_WORKING_DAYS
                    )
                except DomainError as exc:
                    self.review_due[submitted] = exc
            due = self.review_due[submitted]
            if isinstance(due, DomainError):
                self._error(row, "review_submitted_on", due.message, due.rule)
        self._needs(
            row,
            "review_reported_on",
            "review_submitted_on",
            NEEDS_SUBMISSION,
            "documents.step_missing",
        )
        if (row["review_reported_on"] is None) != (row["review_outcome"] is None):
            missing = "review_outcome" if row["review_reported_on"] else "review_reported_on"
            if missing not in row.failed:
                self._error(
                    row,
                    missing,
                    REVIEW_BOTH,
                    "documents.step_missing",
                )

    def _check_steps(self, row: Row) -> None:
        if (
            row["decided_on"]
            and row["review_outcome"] not in rules.REVIEW_PASSED
            and "review_outcome" not in row.failed
        ):
            self._error(
                row,
                "decided_on",
                DECISION_NEEDS_REVIEW,
                "documents.decision_needs_review",
            )
        if row["registered_on"]:
            for key, problem in rules.registration_problems(
                review_outcome=row["review_outcome"] or "", decided_on=row["decided_on"]
            ):
                if key not in row.failed:
                    self._error(row, key, translate(problem), "documents.registration_needs_review_and_decision")
            for key, message in REGISTERED_NEEDS:
                if row[key] is None and key not in row.failed:
                    self._error(row, key, message, "documents.step_missing")
            if row["office_code"]:
                office = self._org(row, "office_code", editable=False)
                if office is not None:
                    self.office_of[row.number] = office
                    self.serials[(office.pk, row["registered_on"].year)].append((row, row["registration_serial"]))
        else:
            for key in ("office_code", "registration_serial", "number_prefix", "number_serial"):
                if row[key] is not None:
                    self._error(
                        row,
                        key,
                        ONLY_REGISTERED,
                        "documents.step_missing",
                    )
        self._needs(
            row,
            "published_on",
            "registered_on",
            PUBLISHED_NEEDS_REGISTERED,
            "documents.step_missing",
        )
        if (row["published_on"] is None) != (row["channel"] is None):
            missing = "channel" if row["published_on"] else "published_on"
            if missing not in row.failed:
                self._error(
                    row,
                    missing,
                    PUBLICATION_BOTH,
                    "documents.step_missing",
                )
        for key in ("filed_on", "evaluated_on"):
            self._needs(
                row,
                key,
                "published_on",
                FILED_NEEDS_PUBLISHED,
                "documents.step_missing",
            )
        self._needs(
            row,
            "filing_outcome",
            "filed_on",
            FILING_NEEDS_FILED,
            "documents.step_missing",
        )
        if row["evaluated_on"] and row["expires_on"] and row["evaluated_on"] > row["expires_on"]:
            self._error(
                row,
                "evaluated_on",
                EVALUATION_BY_EXPIRY,
                "documents.date_order",
            )

    def _check_validity(self, row: Row) -> None:
        if "expires_on" in row.failed or "effective_from" in row.failed:
            return
        for key, problem in rules.validity_problems(
            title=row["title"] or "",
            provisional=row.get("provisional", False),
            effective_from=row["effective_from"],
            expires_on=row["expires_on"],
            validity_years=settings.FAZHI_DOCUMENT_VALIDITY_YEARS,
            provisional_validity_years=settings.FAZHI_DOCUMENT_PROVISIONAL_VALIDITY_YEARS,
        ):
            self._error(row, key, translate(problem), "documents.validity_too_long")

    def _check_numbers(self, row: Row, org: Org | None) -> None:
        if org is None or row["number_serial"] is None or row["registered_on"] is None or row["number_prefix"] is None:
            return
        key = (org.pk, row["registered_on"].year, row["number_serial"])
        number = rules.document_number(row["number_prefix"], key[1], key[2])
        if key in self.numbers_taken:
            self._error(
                row,
                "number_serial",
                _("The document number %(number)s is already used by this organisation.") % {"number": number},
                "documents.number_taken",
            )
        elif key in self.numbers_in_file:
            self._error(
                row,
                "number_serial",
                _("The document number %(number)s is also in row %(row)d.")
                % {"number": number, "row": self.numbers_in_file[key]},
                "documents.number_taken",
            )
        else:
            self.numbers_in_file[key] = row.number

    def check_all(self, rows: list[Row]) -> None:
        """Registration serials continue each office's year without gaps or repeats; blanks take the next ones."""
        self.serial_of: dict[int, int] = {}
        for (office_id, year), entries in self.serials.items():
            counter = RegistrationCounter.objects.filter(office_id=office_id, year=year).first()
            last = counter.last if counter else 0
            given = [serial for _row, serial in entries if serial is not None]
            seen: dict[int, int] = {}
            for row, serial in entries:
                if serial is None:
                    continue
                if serial <= last:
                    self._error(
                        row,
                        "registration_serial",
                        _("Registration serial %(serial)d of this office in %(year)d is already used.")
                        % {"serial": serial, "year": year},
                        "documents.registration_taken",
                    )
                elif serial in seen:
                    self._error(
                        row,
                        "registration_serial",
                        _("Registration serial %(serial)d is also in row %(row)d.")
                        % {"serial": serial, "row": seen[serial]},
                        "documents.registration_taken",
                    )
                seen.setdefault(serial, row.number)
            if not any(r.problems for r, _s in entries):
                problem = rules.serial_problems(given, last)
                if problem is not None:
                    first_given = next(r for r, s in entries if s is not None)
                    self._error(first_given, "registration_serial", translate(problem), "documents.registration_gap")
                    continue
            following = last + len(given)
            for row, serial in entries:
                if serial is None:
                    following += 1
                    serial = following
                self.serial_of[row.number] = serial

    # --- writing --------------------------------------------------------------------------------------------------

    def write(self, rows: list[Row]) -> list[str]:
        drafts = []
        for row in rows:
            cells = row.values  # the parsed values (None when blank), read directly rather than through Row
            values: dict[str, Any] = {key: cells.get(key) for key in DATE_KEYS}
            values.update(
                title=cells.get("title"),
                provisional=cells.get("provisional") or False,
                affects_rights=cells.get("affects_rights") or False,
                review_outcome=cells.get("review_outcome") or "",
                decision_meeting=cells.get("decision_meeting") or "",
                number_prefix=cells.get("number_prefix") or "",
                number_serial=cells.get("number_serial"),
                channel=cells.get("channel") or "",
                filing_outcome=cells.get("filing_outcome") or "",
            )
            if cells.get("review_submitted_on"):
                values["review_due"] = self.review_due[cells.get("review_submitted_on")]
            drafts.append(
                DocumentDraft(
                    org=self.org_of[row.number],
                    values=values,
                    office=self.office_of.get(row.number),
                    registration_serial=self.serial_of.get(row.number),
                    extra={"row": row},
                )
            )
        try:
            document_bulk_create(actor=self.actor, drafts=drafts)
        except DomainError as exc:
            raise RowRefused(rows[0], None, exc.message) from None
        return [
            ngettext("Imported %(count)d normative document.", "Imported %(count)d normative documents.", len(drafts))
            % {"count": len(drafts)}
        ]

    # --- export ---------------------------------------------------------------------------------------------------

    @classmethod
    def export_rows(cls, scope: Q) -> Iterable[dict]:
        documents = (
            Document.objects.filter(scope).select_related("org", "registering_office").order_by("org__path", "pk")
        )
        for document in documents.iterator(chunk_size=2000):
            yield document_export_row(document)


def document_export_row(document: Document) -> dict[str, Any]:
    row: dict[str, Any] = {key: getattr(document, key) for key in DATE_KEYS}
    row.update(
        org_code=document.org.code,
        title=document.title,
        provisional=document.provisional,
        affects_rights=document.affects_rights,
        review_outcome=document.review_outcome or None,
        decision_meeting=document.decision_meeting or None,
        office_code=document.registering_office.code if document.registering_office else None,
        registration_serial=document.registration_serial,
        number_prefix=document.number_prefix or None,
        number_serial=document.number_serial,
        channel=document.channel or None,
        filing_outcome=document.filing_outcome or None,
    )
    return row
