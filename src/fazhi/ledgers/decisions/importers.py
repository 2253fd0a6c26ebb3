"""The spreadsheet of major decisions: one row per decision with the dates of its procedures, in and out.

Each row gets every rule the services apply (``rules.py`` through ``services.draft_problems``): a row marked
decided must have every required step, in order, with a long enough comment period. Nothing is written unless
every row is right; the write goes through ``services.decision_bulk_import``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.core.errors import DomainError
from fazhi.core.imports import (
    CellInvalid,
    Choice,
    Column,
    Row,
    RowRefused,
    boolean,
    code,
    date,
    integer,
    text,
)
from fazhi.ledgers.common.importing import LedgerImporter
from fazhi.ledgers.decisions import rules
from fazhi.ledgers.decisions.models import Category, Decision, Status
from fazhi.ledgers.decisions.services import DecisionDraft, decision_bulk_import, draft_problems, message, review_ok_for
from fazhi.orgs import roles
from fazhi.orgs.access import scope_paths
from fazhi.orgs.models import Org

CATEGORY_ALIASES = {
    "government_investment": ("重大投资项目", "政府投资项目"),
    "public_facilities": ("重大公共设施",),
    "utility_prices": ("公用事业价格",),
    "enterprise_restructuring": ("企业改制", "国有企业改制"),
    "land_acquisition": ("土地征收",),
    "demolition": ("房屋拆迁", "房屋征收"),
    "environment": ("环境保护", "环境"),
    "education_health": ("教育医疗",),
    "social_security": ("社会保障",),
    "public_policy": ("重大公共政策",),
    "development_plan": ("重要规划", "发展规划"),
    "natural_cultural_resources": ("自然和文化资源",),
    "other": ("其他重大事项", "其他"),
}
STATUS_ALIASES = {
    "catalogued": ("已列入目录", "目录内", "未决策"),
    "decided": ("已决策", "已作出决策"),
    "withdrawn": ("已撤回", "撤回"),
}

# The columns of each step: (start column or None, date column).
STEP_COLUMNS = {
    rules.PUBLIC_PARTICIPATION: ("comment_start", "comment_end"),
    rules.HEARING: ("hearing_announced", "hearing_held"),
    rules.EXPERT_ARGUMENTATION: (None, "expert_on"),
    rules.RISK_ASSESSMENT: (None, "risk_on"),
    rules.LEGALITY_REVIEW: ("review_submitted", "review_opinion"),
    rules.COLLECTIVE_DECISION: (None, "collective_on"),
}
CHUNK = 500
TYPE_RULE = "decisions.cell_type"


def _rule_message(message: str, rule: str) -> str:
    return _("%(message)s (rule %(rule)s)") % {"message": message, "rule": rule}


def _typed(parse):
    """The parser, with the rule named in its refusal (a wrong type or form of a cell)."""

    def wrapped(value):
        try:
            return parse(value)
        except CellInvalid as exc:
            raise CellInvalid(_rule_message(exc.message, TYPE_RULE)) from None

    return wrapped


class _TypedChoice(Choice):
    def __call__(self, value):
        try:
            return super().__call__(value)
        except CellInvalid as exc:
            raise CellInvalid(_rule_message(exc.message, TYPE_RULE)) from None


def _date_column(key, header, label, help_text=""):
    return Column(key, header, label, parse=_typed(date()), help=help_text, example="", width=14)


class DecisionImporter(LedgerImporter):
    kind = "ledgers.decisions"
    title = gettext_lazy("Import major administrative decisions")
    sheet_name = "重大行政决策"
    columns = (
        Column(
            "org_code",
            "单位代码",
            gettext_lazy("Organisation code"),
            required=True,
            parse=_typed(code(max_length=18)),
            help=gettext_lazy("The code of the organisation whose catalogue holds the decision."),
            example="990101",
            text_format=True,
            width=20,
        ),
        Column(
            "year",
            "目录年度",
            gettext_lazy("Catalogue year"),
            required=True,
            parse=_typed(integer(min_value=2000, max_value=2100)),
            example=2026,
            width=10,
        ),
        Column(
            "title",
            "决策事项",
            gettext_lazy("Title"),
            required=True,
            parse=_typed(text(max_length=200)),
            example="青山县城区集中供热价格调整",
            width=36,
        ),
        Column(
            "category",
            "类别",
            gettext_lazy("Category"),
            required=True,
            parse=_TypedChoice(Category.choices, CATEGORY_ALIASES),
            example="公用事业价格",
            width=16,
        ),
        Column(
            "technical",
            "专业性技术性较强",
            gettext_lazy("Technical"),
            parse=_typed(boolean()),
            help=gettext_lazy("是: needs expert argumentation."),
            example="否",
            width=10,
        ),
        Column(
            "public_comment_required",
            "应公开征求意见",
            gettext_lazy("Public comment required"),
            parse=_typed(boolean()),
            help=gettext_lazy("Empty means 是; 否 only when the law keeps the matter from public comment."),
            example="是",
            width=10,
        ),
        Column(
            "hearing_required",
            "应当听证",
            gettext_lazy("Hearing required"),
            parse=_typed(boolean()),
            example="否",
            width=10,
        ),
        Column(
            "status",
            "状态",
            gettext_lazy("Status"),
            parse=_TypedChoice(Status.choices, STATUS_ALIASES),
            help=gettext_lazy(
                "Empty means in the catalogue. A decided row needs every required step, in order; a withdrawn row "
                "gives its reason in the note."
            ),
            example="已决策",
            width=12,
        ),
        _date_column("comment_start", "征求意见开始", gettext_lazy("Comment period opens")),
        _date_column("comment_end", "征求意见截止", gettext_lazy("Comment period closes")),
        _date_column("hearing_announced", "听证公告日期", gettext_lazy("Hearing announced")),
        _date_column("hearing_held", "听证日期", gettext_lazy("Hearing held")),
        _date_column("expert_on", "专家论证日期", gettext_lazy("Expert argumentation")),
        _date_column("risk_on", "风险评估日期", gettext_lazy("Risk assessment")),
        _date_column("review_submitted", "送审日期", gettext_lazy("Sent for legality review")),
        _date_column("review_opinion", "审查意见日期", gettext_lazy("Legality review opinion")),
        _date_column("collective_on", "集体讨论决定日期", gettext_lazy("Collective decision")),
        _date_column("evaluation_due", "决策后评估期限", gettext_lazy("Evaluation due")),
        _date_column("evaluated_on", "决策后评估日期", gettext_lazy("Evaluated on")),
        Column(
            "evaluation_finding",
            "评估结论",
            gettext_lazy("Evaluation finding"),
            parse=_typed(text(max_length=2000)),
            width=30,
        ),
        Column("note", "备注", gettext_lazy("Note"), parse=_typed(text(max_length=2000)), width=24),
    )
    notes = (
        gettext_lazy(
            "One row per decision, with the dates of its procedures. A step is recorded when its date is given; "
            "a decided row needs a legality review and a collective decision, public participation unless exempt, "
            "a hearing where one is required, expert argumentation for a technical matter and a risk assessment for "
            "the categories that need one, all completed on or before the collective decision."
        ),
    )
    example_rows = (
        {
            "org_code": "990101",
            "year": 2026,
            "title": "青山县城区集中供热价格调整",
            "category": "utility_prices",
            "technical": False,
            "public_comment_required": True,
            "hearing_required": True,
            "status": "decided",
            "comment_start": "2026-03-02",
            "comment_end": "2026-04-01",
            "hearing_announced": "2026-03-20",
            "hearing_held": "2026-03-30",
            "risk_on": "2026-04-03",
            "review_submitted": "2026-04-06",
            "review_opinion": "2026-04-20",
            "collective_on": "2026-04-28",
        },
    )

    @classmethod
    def export_rows(cls, scope):
        """The decisions whose org lies in ``scope`` (a Q over ``org__path``), in the import's columns."""
        decisions = (
            Decision.objects.filter(scope)
            .select_related("org")
            .prefetch_related("procedures")
            .order_by("org__path", "year", "id")
        )
        return decision_export_rows(decisions.iterator(chunk_size=2000))

    def prepare(self, rows: list[Row]) -> None:
        codes = sorted({row["org_code"] for row in rows if row["org_code"]})
        self.orgs: dict[str, Org] = {}
        for start in range(0, len(codes), CHUNK):
            chunk = codes[start : start + CHUNK]
            self.orgs.update(
                (org.code, org)
                for org in Org.objects.filter(code__in=chunk).only("pk", "name", "code", "path", "is_active")
            )
        self.edit_paths = scope_paths(self.actor, roles.LEDGER_EDIT)
        self.view_paths = scope_paths(self.actor, roles.LEDGER_VIEW)
        titles = {row["title"] for row in rows if row["title"]}
        org_ids = {org.pk for org in self.orgs.values()}
        self.taken: set[tuple[int, int, str]] = set()
        ordered = sorted(titles)
        for start in range(0, len(ordered), CHUNK):
            self.taken.update(
                Decision.objects.filter(org_id__in=org_ids, title__in=ordered[start : start + CHUNK]).values_list(
                    "org_id", "year", "title"
                )
            )
        self.seen: dict[tuple[int, int, str], int] = {}
        self.drafts: list[tuple[Row, DecisionDraft]] = []
        self.review_ok: dict[tuple, bool | None | DomainError] = {}

    def _covers(self, paths, org: Org) -> bool:
        return paths is None or any(org.path.startswith(p) for p in paths)

    def _org(self, row: Row) -> Org | None:
        org_code = row["org_code"]
        if org_code is None:
            return None
        org = self.orgs.get(org_code)
        if (
            org is None
            or not org.is_active
            or not self._covers(self.view_paths, org)
            and not self._covers(self.edit_paths, org)
        ):
            row.error(
                "org_code",
                _rule_message(
                    _("no organisation with code %(code)s exists in your scope") % {"code": org_code},
                    "decisions.unknown_org",
                ),
            )
            return None
        if not self._covers(self.edit_paths, org):
            row.error(
                "org_code",
                _rule_message(_("you may not change the ledgers of %(name)s") % {"name": org.name}, "decisions.scope"),
            )
            return None
        return org

    def check_row(self, row: Row) -> None:
        org = self._org(row)
        steps = {}
        for kind, (start_key, end_key) in STEP_COLUMNS.items():
            start = row[start_key] if start_key else None
            end = row[end_key]
            if start is not None or end is not None or (start_key and start_key in row.failed) or end_key in row.failed:
                steps[kind] = (start, end, None)
        if org is None or row["year"] is None or row["title"] is None or row["category"] is None:
            return  # the cell's own error is reported; the row's rules cannot be judged
        key = (org.pk, row["year"], row["title"])
        if key in self.taken:
            row.error(
                "title",
                _rule_message(
                    _("%(org)s's catalogue for %(year)d already holds this decision")
                    % {"org": org.name, "year": row["year"]},
                    "decisions.duplicate",
                ),
            )
        elif key in self.seen:
            row.error(
                "title",
                _rule_message(
                    _("the same decision is already in row %(row)d of this file") % {"row": self.seen[key]},
                    "decisions.duplicate",
                ),
            )
        else:
            self.seen[key] = row.number
        if any(key in row.failed for pair in STEP_COLUMNS.values() for key in pair if key):
            return
        draft = DecisionDraft(
            org=org,
            year=row["year"],
            title=row["title"],
            category=row["category"],
            technical=row.get("technical", False),
            public_comment_required=row.get("public_comment_required", True),
            hearing_required=row.get("hearing_required", False),
            status=row.get("status", Status.CATALOGUED),
            evaluation_due=row["evaluation_due"],
            evaluated_on=row["evaluated_on"],
            evaluation_finding=row.get("evaluation_finding", ""),
            note=row.get("note", ""),
            steps=steps,
        )
        reported = set()
        for where, problem in draft_problems(draft):
            column = self._column_of(where, problem)
            if column in reported:
                continue
            reported.add(column)
            row.error(
                column,
                _rule_message(message(problem), rules.rule_of(where, problem)),
            )
        review = steps.get(rules.LEGALITY_REVIEW)
        if review and review[0] and review[1] and row.ok:
            dates = (review[0], review[1])
            if dates not in self.review_ok:  # many rows share their dates: one working-day clock each
                try:
                    self.review_ok[dates] = review_ok_for(*dates)
                except DomainError as error:
                    self.review_ok[dates] = error
            ok = self.review_ok[dates]
            if isinstance(ok, DomainError):
                row.error("review_submitted", _rule_message(ok.message, ok.rule))
                return
            steps[rules.LEGALITY_REVIEW] = (review[0], review[1], ok)
        self.drafts.append((row, draft))

    @staticmethod
    def _column_of(where: str, problem) -> str:
        if where in STEP_COLUMNS:
            start_key, end_key = STEP_COLUMNS[where]
            if start_key and problem.message == rules.START_REQUIRED:
                return start_key
            return end_key
        return where

    def write(self, rows: list[Row]) -> list[str]:
        try:
            decisions = decision_bulk_import(actor=self.actor, drafts=[draft for _row, draft in self.drafts])
        except DomainError as error:
            raise RowRefused(rows[0], None, error.message) from None
        decided = sum(1 for d in decisions if d.status == Status.DECIDED)
        return [
            _("Imported %(count)d major decisions (%(decided)d decided).")
            % {"count": len(decisions), "decided": decided}
        ]


def decision_export_rows(decisions) -> list[dict]:
    """The decisions (with ``procedures`` prefetched) as rows of the import's columns: an export imports again."""
    out = []
    for decision in decisions:
        values = {
            "org_code": decision.org.code,
            "year": decision.year,
            "title": decision.title,
            "category": decision.category,
            "technical": "是" if decision.technical else "否",
            "public_comment_required": "是" if decision.public_comment_required else "否",
            "hearing_required": "是" if decision.hearing_required else "否",
            "status": decision.status,
            "evaluation_due": decision.evaluation_due,
            "evaluated_on": decision.evaluated_on,
            "evaluation_finding": decision.evaluation_finding or None,
            "note": (decision.withdrawn_reason if decision.status == Status.WITHDRAWN else decision.note) or None,
        }
        for procedure in decision.procedures.all():
            start_key, end_key = STEP_COLUMNS[procedure.kind]
            if start_key:
                values[start_key] = procedure.started_on
            values[end_key] = procedure.ended_on
        out.append(values)
    return out
