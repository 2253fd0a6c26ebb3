"""Spreadsheets of the study ledger: learners, study sessions (attendees by name in one cell), standing meetings,
appointments with the pre-appointment law test and publicity events.

Declarations for :mod:`fazhi.core.imports` (all-or-nothing, every error with row and column). Each row gets the
rules the services apply (:mod:`fazhi.ledgers.study.rules`), the acting person's ``ledger.edit`` scope, and the
duplicate checks; the writers go through the services' bulk functions inside the import's transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.core.cells import CellInvalid
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.imports import Choice, Column, Row, RowRefused, boolean, code, date, integer, text
from fazhi.ledgers.common.importing import LedgerImporter
from fazhi.ledgers.study import rules, services
from fazhi.ledgers.study.models import (
    Appointment,
    Attendance,
    Learner,
    PublicityEvent,
    SessionKind,
    StandingMeeting,
    StudySession,
    ThemeDay,
)
from fazhi.ledgers.study.selectors import learners_of_orgs, ledger_orgs_by_code, meeting_keys, session_keys

KIND_ALIASES = {
    rules.CENTRAL_GROUP: ("理论学习中心组学法", "中心组学法", "中心组"),
    rules.PRE_MEETING: ("常务会议会前学法", "会前学法", "常务会前学法"),
    rules.SEMINAR: ("专题研讨班", "研讨班", "依法行政专题研讨班"),
    rules.LECTURE: ("法治讲座", "讲座"),
    rules.ONLINE_COURSE: ("网上学法", "在线学法", "网络课程"),
    rules.REPORT_HEARING: ("常务会议听取法治政府建设情况汇报", "听取法治政府建设汇报", "听取汇报"),
}

THEME_ALIASES = {
    ThemeDay.CONSUMER_RIGHTS: ("3.15", "3·15", "消费者权益日"),
    ThemeDay.NATIONAL_SECURITY: ("4.15", "4·15", "国家安全教育日"),
    ThemeDay.ANTI_DRUG: ("6.26", "6·26", "国际禁毒日"),
    ThemeDay.CONSTITUTION: ("12.4", "12·4", "国家宪法日", "宪法日"),
    ThemeDay.OTHER: ("其他",),
}


def hours_cell():
    """A number of hours (a number cell, or text such as 2.5)."""

    def parse(value: Any) -> Decimal:
        if isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
            raise CellInvalid(_("expected a number of hours such as 2.5"))
        if isinstance(value, float):
            value = repr(value)
        try:
            hours = rules.parse_hours(value)
        except ValueError:
            raise CellInvalid(_("expected a number of hours such as 2.5")) from None
        problems = rules.hours_problems(hours, max_hours=settings.FAZHI_STUDY_SESSION_HOURS_MAX)
        if problems:
            raise CellInvalid(translate(problems[0].problem))
        return hours

    return parse


def _org_code_column() -> Column:
    return Column(
        "org_code",
        "单位代码",
        gettext_lazy("Organisation code"),
        required=True,
        parse=code(max_length=18),
        help=gettext_lazy("The organisation whose ledger this is (you must be allowed to keep it)."),
        example="990101",
        text_format=True,
    )


class _StudyImporter(LedgerImporter):
    """Finds the rows' organisations (in the acting person's ``ledger.edit`` scope) for all rows at once."""

    def prepare(self, rows: list[Row]) -> None:
        self.today = timezone.localdate()
        self.orgs = ledger_orgs_by_code(user=self.actor, codes={row["org_code"] for row in rows})
        self.seen: dict[tuple, int] = {}

    def first_time(self, row: Row, key: tuple, column: str, same_as: str, *, existing=(), exists: str = "") -> None:
        """Report the row on ``column`` when its ``key`` is on the ledger already (``existing``: message ``exists``)
        or on an earlier row of the file (message ``same_as``, with ``%(row)d``); otherwise remember it."""
        if key in existing:
            row.error(column, exists)
        elif key in self.seen:
            row.error(column, same_as % {"row": self.seen[key]})
        else:
            self.seen[key] = row.number

    def bulk_write(self, rows: list[Row], create, drafts: list, done: str, **counts) -> list[str]:
        """Write the drafts through the service's bulk function ``create``; a refusal names the first row.
        ``done`` says what was imported: ``%(n)s`` is the number of rows, ``counts`` any other figure."""
        try:
            create(actor=self.actor, drafts=drafts)
        except DomainError as error:
            raise self.refused(rows, error) from None
        figures = {"n": len(rows), **counts}
        return [done % {k: number_format(v, force_grouping=True) for k, v in figures.items()}]

    def org_of(self, row: Row):
        if row["org_code"] is None:
            return None
        org = self.orgs.get(row["org_code"])
        if org is None:
            row.error(
                "org_code",
                _("no active organisation with code %(code)s whose ledger you may keep") % {"code": row["org_code"]},
            )
        return org

    @staticmethod
    def report_rule_problems(row: Row, problems, fields: dict[str, str] | None = None) -> None:
        for problem in problems:
            key = (fields or {}).get(problem.field, problem.field)
            row.error(key, f"{translate(problem.problem)} ({problem.rule})")

    def refused(self, rows: list[Row], error: DomainError):
        field = {"name": "name"}.get(error.field or "", error.field)
        keys = {c.key for c in self.columns}
        return RowRefused(rows[0], field if field in keys else None, error.message)


# --- Learners ------------------------------------------------------------------------------------


class LearnerImporter(_StudyImporter):
    kind = "study.learners"
    title = gettext_lazy("Import learners")
    sheet_name = "学法人员"
    columns = (
        _org_code_column(),
        Column("name", "姓名", gettext_lazy("Name"), required=True, parse=text(max_length=50), example="张伟"),
        Column("post", "职务", gettext_lazy("Post"), parse=text(max_length=100), example="副县长", width=24),
        Column(
            "is_leader",
            "是否领导干部",
            gettext_lazy("Leader"),
            parse=boolean(),
            help=gettext_lazy("是 or 否; empty: 否."),
            example="是",
        ),
    )
    notes = (gettext_lazy("Names are unique within an organisation: add a word that tells two people apart."),)
    example_rows = ({"org_code": "990101", "name": "张伟", "post": "副县长", "is_leader": True},)

    def prepare(self, rows):
        super().prepare(rows)
        self.existing = set(learners_of_orgs(org_ids={org.pk for org in self.orgs.values()}))

    def check_row(self, row):
        org = self.org_of(row)
        if org is None or not row["name"]:
            return
        self.first_time(
            row,
            (org.pk, row["name"]),
            "name",
            _("the same person as row %(row)d"),
            existing=self.existing,
            exists=_("%(org)s already has a learner named %(name)s") % {"org": org.name, "name": row["name"]},
        )

    @classmethod
    def export_rows(cls, scope):
        return learner_export_rows(Learner.objects.filter(scope).select_related("org").order_by("org__path", "name"))

    def write(self, rows):
        drafts = [
            services.LearnerDraft(
                org=self.orgs[row["org_code"]],
                name=row["name"],
                post=row.get("post", ""),
                is_leader=row.get("is_leader", False),
            )
            for row in rows
        ]
        return self.bulk_write(rows, services.learner_bulk_create, drafts, _("Imported %(n)s learners."))


def learner_export_rows(learners) -> list[dict]:
    return [
        {"org_code": x.org.code, "name": x.name, "post": x.post, "is_leader": "是" if x.is_leader else "否"}
        for x in learners
    ]


# --- Sessions ------------------------------------------------------------------------------------


class SessionImporter(_StudyImporter):
    kind = "study.sessions"
    title = gettext_lazy("Import study sessions")
    sheet_name = "学法活动"
    columns = (
        _org_code_column(),
        Column(
            "kind",
            "类型",
            gettext_lazy("Kind"),
            required=True,
            parse=Choice(SessionKind.choices, KIND_ALIASES),
            example=rules.CENTRAL_GROUP,
            width=24,
        ),
        Column("date", "日期", gettext_lazy("Date"), required=True, parse=date(), example=dt.date(2026, 3, 12)),
        Column(
            "hours",
            "学时",
            gettext_lazy("Hours"),
            required=True,
            parse=hours_cell(),
            help=gettext_lazy("More than 0, to a tenth of an hour."),
            example=Decimal("3"),
        ),
        Column(
            "topic",
            "主题",
            gettext_lazy("Topic"),
            required=True,
            parse=text(max_length=200),
            example="学习宪法",
            width=30,
        ),
        Column(
            "attendees",
            "参加人员",
            gettext_lazy("Attendees"),
            parse=text(max_length=20000),
            help=gettext_lazy(
                "Names of the organisation's learners separated by 、 or a comma; for an online course a person's own "
                "hours may follow the name in brackets: 张伟(2.5)."
            ),
            example="张伟、李娜",
            width=40,
        ),
    )
    notes = (
        gettext_lazy(
            "Attendees must be learners of the session's organisation already (import the learners first). "
            "The same session (organisation, kind, date and topic) may not be recorded twice."
        ),
    )
    example_rows = (
        {"org_code": "990101", "kind": rules.CENTRAL_GROUP, "date": dt.date(2026, 3, 12), "hours": 3,
         "topic": "学习宪法", "attendees": "张伟、李娜"},
        {"org_code": "990101", "kind": rules.ONLINE_COURSE, "date": dt.date(2026, 4, 1), "hours": 2,
         "topic": "民法典网上学习", "attendees": "张伟(2.5)、李娜(1)"},
    )  # fmt: skip

    def prepare(self, rows):
        super().prepare(rows)
        org_ids = {org.pk for org in self.orgs.values()}
        self.names: dict[int, set[str]] = {}
        for org_id, name in learners_of_orgs(org_ids=org_ids, active_only=True):
            self.names.setdefault(org_id, set()).add(name)
        dates = [row["date"] for row in rows if row["date"]]
        self.existing = session_keys(org_ids=org_ids, start=min(dates), end=max(dates)) if dates else set()
        self.max_hours = settings.FAZHI_STUDY_SESSION_HOURS_MAX
        self.entries: dict[int, list[rules.AttendeeEntry]] = {}

    def check_row(self, row):
        org = self.org_of(row)
        if row["date"] is not None and row["hours"] is not None:
            problems = rules.session_problems(
                kind=row["kind"], date=row["date"], hours=row["hours"], today=self.today, max_hours=self.max_hours
            )
            self.report_rule_problems(row, problems)
        entries, parse_problems = rules.parse_attendees(row.get("attendees", ""))
        for problem in parse_problems:
            row.error("attendees", translate(problem))
        self.entries[row.number] = entries
        if org is None or row["kind"] is None:
            return
        self.report_rule_problems(
            row,
            rules.attendance_problems(
                kind=row["kind"], entries=entries, known_names=self.names.get(org.pk, set()), max_hours=self.max_hours
            ),
        )
        if row["date"] is None or not row["topic"]:
            return
        self.first_time(
            row,
            (org.pk, row["kind"], row["date"], row["topic"]),
            "topic",
            _("the same session as row %(row)d"),
            existing=self.existing,
            exists=_("this session is already on the ledger (same organisation, kind, date and topic)"),
        )

    @classmethod
    def export_rows(cls, scope):
        sessions = list(StudySession.objects.filter(scope).select_related("org").order_by("date", "pk"))
        attendance: dict[int, list] = {}
        for a in Attendance.objects.filter(session__in=sessions).select_related("learner").order_by("pk"):
            attendance.setdefault(a.session_id, []).append(a)
        return session_export_rows(sessions, attendance)

    def write(self, rows):
        drafts = [
            services.SessionDraft(
                org=self.orgs[row["org_code"]],
                kind=row["kind"],
                date=row["date"],
                hours=row["hours"],
                topic=row["topic"],
                attendees=tuple(self.entries[row.number]),
            )
            for row in rows
        ]
        done = _("Imported %(n)s study sessions with %(a)s attendance records.")
        return self.bulk_write(
            rows, services.session_bulk_create, drafts, done, a=sum(len(d.attendees) for d in drafts)
        )


def _hours_text(hours: Decimal) -> str:
    return format(hours.normalize(), "f")


def session_export_rows(sessions, attendance_by_session: dict[int, list]) -> list[dict]:
    rows = []
    for s in sessions:
        names = [
            f"{a.learner.name}({_hours_text(a.hours)})" if a.hours is not None else a.learner.name
            for a in attendance_by_session.get(s.pk, [])
        ]
        rows.append(
            {
                "org_code": s.org.code,
                "kind": s.kind,
                "date": s.date,
                "hours": float(s.hours),
                "topic": s.topic,
                "attendees": "、".join(names),
            }
        )
    return rows


# --- Appointments and the pre-appointment law test -----------------------------------------------


class AppointmentImporter(_StudyImporter):
    kind = "study.appointments"
    title = gettext_lazy("Import appointments and pre-appointment law tests")
    sheet_name = "任前考法"
    columns = (
        _org_code_column(),
        Column(
            "name",
            "姓名",
            gettext_lazy("Name"),
            required=True,
            parse=text(max_length=50),
            help=gettext_lazy("A learner of the organisation (import the learners first)."),
            example="张伟",
        ),
        Column("post", "拟任职务", gettext_lazy("Post"), required=True, parse=text(max_length=100), example="局长"),
        Column(
            "appointed_on",
            "任职日期",
            gettext_lazy("Appointed on"),
            required=True,
            parse=date(),
            example=dt.date(2025, 6, 1),
        ),
        Column(
            "tested_on",
            "考试日期",
            gettext_lazy("Law test taken on"),
            parse=date(),
            help=gettext_lazy("On or before the appointment; empty: not tested."),
            example=dt.date(2025, 5, 20),
        ),
        Column("score", "考试成绩", gettext_lazy("Test score"), parse=integer(min_value=0, max_value=100), example=86),
    )
    example_rows = (
        {"org_code": "990101", "name": "张伟", "post": "局长", "appointed_on": dt.date(2025, 6, 1),
         "tested_on": dt.date(2025, 5, 20), "score": 86},
    )  # fmt: skip

    def prepare(self, rows):
        super().prepare(rows)
        self.learners = learners_of_orgs(org_ids={org.pk for org in self.orgs.values()})

    def check_row(self, row):
        org = self.org_of(row)
        if row["appointed_on"] is not None and "tested_on" not in row.failed and "score" not in row.failed:
            problems = rules.appointment_problems(
                appointed_on=row["appointed_on"], tested_on=row["tested_on"], score=row["score"], today=self.today
            )
            self.report_rule_problems(row, problems)
        if org is None or not row["name"]:
            return
        if (org.pk, row["name"]) not in self.learners:
            row.error("name", _("%(name)s is not a learner of %(org)s") % {"name": row["name"], "org": org.name})
            return
        key = (org.pk, row["name"], row["appointed_on"], row["post"])
        self.first_time(row, key, "name", _("the same appointment as row %(row)d"))

    @classmethod
    def export_rows(cls, scope):
        qs = Appointment.objects.filter(scope).select_related("org", "learner").order_by("appointed_on", "pk")
        return appointment_export_rows(qs)

    def write(self, rows):
        drafts = [
            services.AppointmentDraft(
                org=self.orgs[row["org_code"]],
                learner=self.learners[(self.orgs[row["org_code"]].pk, row["name"])],
                post=row["post"],
                appointed_on=row["appointed_on"],
                tested_on=row["tested_on"],
                score=row["score"],
            )
            for row in rows
        ]
        return self.bulk_write(rows, services.appointment_bulk_create, drafts, _("Imported %(n)s appointments."))


def appointment_export_rows(appointments) -> list[dict]:
    return [
        {
            "org_code": a.org.code,
            "name": a.learner.name,
            "post": a.post,
            "appointed_on": a.appointed_on,
            "tested_on": a.tested_on,
            "score": a.score,
        }
        for a in appointments
    ]


# --- Standing meetings ---------------------------------------------------------------------------


class MeetingImporter(_StudyImporter):
    kind = "study.meetings"
    title = gettext_lazy("Import standing meetings")
    sheet_name = "常务会议"
    columns = (
        _org_code_column(),
        Column("date", "会议日期", gettext_lazy("Date"), required=True, parse=date(), example=dt.date(2025, 3, 12)),
        Column(
            "title",
            "会议名称",
            gettext_lazy("Title"),
            required=True,
            parse=text(max_length=200),
            example="县政府第12次常务会议",
            width=30,
        ),
    )
    notes = (
        gettext_lazy(
            "Whether study preceded a meeting is not a column: it comes from the study sessions of the kind "
            "“study before a standing meeting” of the same organisation on the same day."
        ),
    )
    example_rows = ({"org_code": "990101", "date": dt.date(2025, 3, 12), "title": "县政府第12次常务会议"},)

    def prepare(self, rows):
        super().prepare(rows)
        dates = [row["date"] for row in rows if row["date"] is not None]
        org_ids = {org.pk for org in self.orgs.values()}
        self.existing = meeting_keys(org_ids=org_ids, dates=dates)

    def check_row(self, row):
        org = self.org_of(row)
        if row["date"] is not None:
            self.report_rule_problems(row, rules.meeting_problems(date=row["date"], today=self.today))
        if org is None or row["date"] is None or not row["title"]:
            return
        self.first_time(
            row,
            (org.pk, row["date"], row["title"]),
            "title",
            _("the same meeting as row %(row)d"),
            existing=self.existing,
            exists=_("%(org)s already recorded this standing meeting on this day") % {"org": org.name}
            + " (study.meeting_duplicate)",
        )

    @classmethod
    def export_rows(cls, scope):
        return meeting_export_rows(StandingMeeting.objects.filter(scope).select_related("org").order_by("date", "pk"))

    def write(self, rows):
        drafts = [
            services.MeetingDraft(org=self.orgs[row["org_code"]], date=row["date"], title=row["title"]) for row in rows
        ]
        return self.bulk_write(rows, services.meeting_bulk_create, drafts, _("Imported %(n)s standing meetings."))


def meeting_export_rows(meetings) -> list[dict]:
    return [{"org_code": m.org.code, "date": m.date, "title": m.title} for m in meetings]


# --- Publicity -----------------------------------------------------------------------------------


class PublicityImporter(_StudyImporter):
    kind = "study.publicity"
    title = gettext_lazy("Import publicity events")
    sheet_name = "普法活动"
    columns = (
        _org_code_column(),
        Column("date", "日期", gettext_lazy("Date"), required=True, parse=date(), example=dt.date(2025, 12, 4)),
        Column(
            "theme",
            "主题日",
            gettext_lazy("Theme day"),
            required=True,
            parse=Choice(ThemeDay.choices, THEME_ALIASES),
            example=ThemeDay.CONSTITUTION,
        ),
        Column(
            "title",
            "活动名称",
            gettext_lazy("Title"),
            required=True,
            parse=text(max_length=200),
            example="宪法宣传周集中宣传",
            width=30,
        ),
        Column(
            "place",
            "地点",
            gettext_lazy("Place"),
            required=True,
            parse=text(max_length=200),
            example="县城中心广场",
            width=24,
        ),
        Column(
            "participants",
            "参加人数",
            gettext_lazy("Participants"),
            required=True,
            parse=integer(min_value=1, max_value=10_000_000),
            example=300,
        ),
        Column(
            "materials",
            "发放资料数",
            gettext_lazy("Materials handed out"),
            parse=integer(min_value=0, max_value=100_000_000),
            example=1200,
        ),
    )
    example_rows = (
        {"org_code": "990101", "date": dt.date(2025, 12, 4), "theme": ThemeDay.CONSTITUTION,
         "title": "宪法宣传周集中宣传", "place": "县城中心广场", "participants": 300, "materials": 1200},
    )  # fmt: skip

    def check_row(self, row):
        org = self.org_of(row)
        if row["date"] is not None and row["participants"] is not None:
            problems = rules.publicity_problems(
                date=row["date"], participants=row["participants"], materials=row.get("materials", 0), today=self.today
            )
            self.report_rule_problems(row, problems)
        if org is None or row["date"] is None or not row["title"]:
            return
        self.first_time(row, (org.pk, row["date"], row["title"]), "title", _("the same event as row %(row)d"))

    @classmethod
    def export_rows(cls, scope):
        return publicity_export_rows(PublicityEvent.objects.filter(scope).select_related("org").order_by("date", "pk"))

    def write(self, rows):
        drafts = [
            services.PublicityDraft(
                org=self.orgs[row["org_code"]],
                date=row["date"],
                theme=row["theme"],
                title=row["title"],
                place=row["place"],
                participants=row["participants"],
                materials=row.get("materials", 0),
            )
            for row in rows
        ]
        return self.bulk_write(rows, services.publicity_bulk_create, drafts, _("Imported %(n)s publicity events."))


def publicity_export_rows(events) -> list[dict]:
    return [
        {
            "org_code": e.org.code,
            "date": e.date,
            "theme": e.theme,
            "title": e.title,
            "place": e.place,
            "participants": e.participants,
            "materials": e.materials,
        }
        for e in events
    ]
