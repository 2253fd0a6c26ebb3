"""The demo city's ledgers (台账): a living year of records in every ledger, through the ledgers' services.

Mostly 柳溪县 and its units (柳溪县司法局, 柳溪县市场监督管理局, 柳城镇, 溪口镇 …), plus one document of 青岚区:

- **normative documents**: one in every status — drafting, public comment, legality review (its report overdue),
  awaiting the collective decision, decided, registered, in force (registration numbers and document numbers such
  as 柳政规〔2026〕1号 and 青政规〔2026〕3号), one provisional (暂行, two years), one past its last day (expired by
  the daily job), one repealed; filings on time and late, one filing overdue and one due within days; an
  evaluation before expiry coming due;
- **major decisions**: the year's catalogue, one decided with all its procedures in order (a technical one with
  expert argumentation, one in a risk category with its risk assessment), one still collecting public comment
  (the comment period ends within days), one withdrawn;
- **enforcement**: officers with certificates (one expired), the year's exams (one failed, one unexcused
  absence), case-file reviews graded excellent, pass and fail;
- **disputes**: reconsideration cases (one overdue, one due within days, decided ones with and without
  correction), litigation with and without the agency head appearing, 柳城镇's mediations — the seed's Le'an
  figures: 108 screened, 108 mediated, 103 settled (mediation rate 100%, success rate 95.37%) — written through the
  register's bulk path, and disclosure requests (one overdue, one due within days, answered ones);
- **study and publicity**: learners, study sessions of every kind with their attendees' hours, standing meetings,
  publicity events on 3.15, 6.26 and 12.4.

Dates are relative to the day the demo is loaded (``today``), so the deadline board always has overdue items and
items due within the week. A working-day clock that would run into a year the official calendar does not cover is
refused by the services; so the demo first enters an illustrative calendar for 2027 (and the first weeks of 2028)
where neither the official data nor an administrator covers it (``fazhi.demo.workdays``); a record whose clock
still runs into an uncovered year is left out (each is written in a savepoint) rather than failing the demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.errors import DomainError
from fazhi.demo.workdays import demo_calendar_load
from fazhi.ledgers.decisions import services as decisions
from fazhi.ledgers.disputes import services as disputes
from fazhi.ledgers.documents import services as documents
from fazhi.ledgers.enforcement import services as enforcement
from fazhi.ledgers.study import services as study
from fazhi.ledgers.study.rules import AttendeeEntry
from fazhi.orgs.models import Org, User

COUNTY = "柳溪县"
MEDIATION_TOWNSHIP = "柳城镇"
# The seed's Le'an figures (❻): disputes screened, mediated, settled.
LEAN_SCREENED, LEAN_MEDIATED, LEAN_SETTLED = 108, 108, 103

DAY = dt.timedelta(days=1)


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class _Loader:
    def __init__(self, today: dt.date):
        self.today = today
        self.year = today.year
        self.skipped = 0
        names = (
            COUNTY,
            "青岚区",
            "柳溪县司法局",
            "柳溪县人民政府办公室",
            "柳溪县市场监督管理局",
            "柳溪县生态环境局",
            "柳溪县自然资源局",
            "柳溪县住房和城乡建设局",
            "柳溪县交通运输局",
            "柳溪县教育局",
            "青岚区司法局",
            "柳城镇",
            "溪口镇",
            "白鹭乡",
            "柳城镇综合行政执法队",
            "溪口镇综合行政执法队",
        )
        self.org = {org.name: org for org in Org.objects.filter(name__in=names)}
        users = {u.username: u for u in User.objects.filter(username__in=("county_admin", "city_admin"))}
        self.actor = users["county_admin"]
        self.city_actor = users["city_admin"]
        self.counts: dict[str, int] = {}

    def days(self, n: int) -> dt.date:
        return self.today + dt.timedelta(days=n)

    def count(self, ledger: str, n: int = 1) -> None:
        self.counts[ledger] = self.counts.get(ledger, 0) + n

    def guarded(self, make: Callable[[], object]):
        """Run ``make`` in a savepoint; a clock running into a year the calendar does not cover skips the record."""
        try:
            with transaction.atomic():
                return make()
        except DomainError as exc:
            if exc.rule != "calendar.year_not_covered":
                raise
            self.skipped += 1
            return None

    # --- normative documents ------------------------------------------------------------------------------------

    def document(
        self,
        org: str,
        title: str,
        *,
        step: str,
        drafted: dt.date,
        actor=None,
        provisional: bool = False,
        affects_rights: bool = True,
        validity_years: int = 5,
        effective: dt.date | None = None,
        prefix: str = "柳政规",
        serial: int | None = None,
        filed_after: int | None = None,
    ):
        """A document of ``org`` taken through the services up to ``step``, the steps a few weeks apart."""
        actor = actor or self.actor
        steps = ("drafting", "comment", "review", "decision", "decided", "registered", "in_force")
        target = steps.index(step)

        def make():
            doc = documents.document_create(
                actor=actor,
                org=self.org[org],
                title=title,
                provisional=provisional,
                affects_rights=affects_rights,
                drafted_on=drafted,
            )
            if target >= 1:
                doc = documents.document_comment(
                    actor=actor, document=doc, comment_start=drafted + 10 * DAY, comment_end=drafted + 40 * DAY
                )
            if target >= 2:
                doc = documents.document_submit_review(actor=actor, document=doc, submitted_on=drafted + 42 * DAY)
            if target >= 3:
                doc = documents.document_review(
                    actor=actor, document=doc, reported_on=drafted + 52 * DAY, outcome="pass"
                )
            if target >= 4:
                doc = documents.document_decide(
                    actor=actor, document=doc, decided_on=drafted + 58 * DAY, meeting=f"{org}人民政府常务会议"
                )
            if target >= 5:
                starts = effective or drafted + 75 * DAY
                doc = documents.document_register(
                    actor=actor,
                    document=doc,
                    office=self.org["柳溪县司法局" if org != "青岚区" else "青岚区司法局"],
                    registered_on=drafted + 62 * DAY,
                    number_prefix=prefix,
                    number_serial=serial,
                    effective_from=starts,
                    expires_on=_years_later(starts, validity_years) - DAY,
                )
            if target >= 6:
                published = drafted + 65 * DAY
                doc = documents.document_publish(actor=actor, document=doc, published_on=published, channel="website")
                if filed_after is not None:
                    doc = documents.document_file(
                        actor=actor, document=doc, filed_on=published + filed_after * DAY, filing_outcome="conforming"
                    )
            return doc

        doc = self.guarded(make)
        if doc is not None:
            self.count("documents")
        return doc

    def documents(self) -> None:
        d = self.days
        year = self.year
        # In force, registered this year, filed on time: 柳政规〔year〕1号, 2号 …
        self.document(
            COUNTY, f"柳溪县城市道路管理办法（{year}年修订）", step="in_force", drafted=d(-300), filed_after=12
        )
        self.document(
            COUNTY,
            "柳溪县农村宅基地管理暂行办法",
            step="in_force",
            drafted=d(-260),
            provisional=True,
            validity_years=2,
            filed_after=41,  # filed late: more than 30 days after publication
        )
        self.document(
            COUNTY, "柳溪县政府投资项目管理办法", step="in_force", drafted=d(-240), affects_rights=False, filed_after=20
        )
        # 青岚区: document number 青政规〔year〕3号 (the district's third of the year).
        self.document(
            "青岚区",
            "青岚区城乡环境卫生管理办法",
            step="in_force",
            drafted=d(-220),
            prefix="青政规",
            serial=3,
            filed_after=9,
        )
        # Published, not yet filed: one filing overdue, one due within days (30 days after publication).
        self.document(COUNTY, "柳溪县城区停车管理办法", step="in_force", drafted=d(-110))  # published 45 days ago
        self.document(COUNTY, "柳溪县农贸市场管理办法", step="in_force", drafted=d(-90))  # published 25 days ago
        # In force for years, its last day seven months ahead: the evaluation (six months before) is due in days.
        expires = _months_later(self.today, 6) + 4 * DAY
        effective = _years_later(expires + DAY, -5)
        self.document(
            COUNTY,
            "柳溪县行政事业性收费管理办法",
            step="in_force",
            drafted=effective - 80 * DAY,
            effective=effective,
            filed_after=15,
        )
        # Past its last day: expired by the daily job below.
        effective = _years_later(self.today - 20 * DAY, -5)
        self.document(
            COUNTY,
            "柳溪县城市绿化管理办法",
            step="in_force",
            drafted=effective - 80 * DAY,
            effective=effective,
            filed_after=10,
        )
        # Repealed.
        repealed = self.document(
            COUNTY,
            "柳溪县燃放烟花爆竹管理暂行规定",
            step="in_force",
            drafted=d(-700),
            provisional=True,
            validity_years=2,
        )
        if repealed is not None:
            documents.document_end(
                actor=self.actor,
                document=repealed,
                status="repealed",
                ended_on=d(-30),
                reason="上位法修改，经清理决定废止",
            )
        # The steps before publication.
        self.document(COUNTY, "柳溪县城市供水用水管理办法", step="registered", drafted=d(-70))
        self.document(COUNTY, "柳溪县物业管理办法", step="decided", drafted=d(-62))
        self.document(COUNTY, "柳溪县养犬管理办法", step="decision", drafted=d(-56))
        self.document(COUNTY, "柳溪县户外广告设置管理办法", step="review", drafted=d(-72))  # report overdue
        self.document(COUNTY, "柳溪县殡葬管理实施办法", step="comment", drafted=d(-20))
        self.document("柳城镇", "柳城镇集镇环境卫生管理办法", step="drafting", drafted=d(-5), actor=self.actor)
        documents.documents_expire(today=self.today)

    # --- major decisions ---------------------------------------------------------------------------------------

    def decision(self, title: str, *, category: str, technical=False, steps: dict, decide=False, evaluation_due=None):
        def make():
            decision = decisions.decision_create(
                actor=self.actor,
                org=self.org[COUNTY],
                year=self.year,
                title=title,
                category=category,
                technical=technical,
                public_comment_required=True,
                hearing_required=False,
                evaluation_due=evaluation_due,
            )
            for kind, (start, end) in steps.items():
                decisions.procedure_record(
                    actor=self.actor,
                    decision=decision,
                    kind=kind,
                    started_on=start,
                    ended_on=end,
                    summary=STEP_SUMMARIES[kind],
                )
            if decide:
                decision = decisions.decision_decide(actor=self.actor, decision=decision)
            return decision

        decision = self.guarded(make)
        if decision is not None:
            self.count("decisions")
        return decision

    def decisions(self) -> None:
        d = self.days

        def steps(end: int, *, expert=False, risk=False) -> dict:
            """Every procedure in order, the collective decision ``end`` days from today."""
            chosen = {"public_participation": (d(end - 80), d(end - 48))}
            if expert:
                chosen["expert_argumentation"] = (None, d(end - 40))
            if risk:
                chosen["risk_assessment"] = (None, d(end - 38))
            chosen["legality_review"] = (d(end - 30), d(end - 18))
            chosen["collective_decision"] = (None, d(end))
            return chosen

        self.decision(
            "柳溪县城区集中供热价格调整方案",
            category="utility_prices",
            steps=steps(-120, risk=True),
            decide=True,
            evaluation_due=d(5),
        )
        self.decision(
            "柳溪县城区污水处理厂提标改造工程",
            category="environment",
            technical=True,
            steps=steps(-60, expert=True, risk=True),
            decide=True,
            evaluation_due=_months_later(self.today, 10),
        )
        self.decision(
            "柳溪县义务教育学校布局调整规划",
            category="education_health",
            steps={"public_participation": (d(-26), d(4))},  # the comment period ends in four days
        )
        self.decision("柳溪县老旧小区改造三年行动计划", category="public_facilities", steps={})

    # --- enforcement --------------------------------------------------------------------------------------------

    def enforcement(self) -> None:
        year = self.year
        officers = []
        for n, (name, org, issued, expires) in enumerate(
            (
                ("张建军", "柳溪县市场监督管理局", dt.date(year - 3, 3, 1), dt.date(year + 2, 2, 28)),
                ("李红梅", "柳溪县市场监督管理局", dt.date(year - 2, 6, 1), dt.date(year + 3, 5, 31)),
                ("王志刚", "柳溪县市场监督管理局", dt.date(year - 4, 9, 1), dt.date(year + 1, 8, 31)),
                ("陈思远", "柳溪县生态环境局", dt.date(year - 1, 4, 1), dt.date(year + 4, 3, 31)),
                ("刘晓东", "柳溪县生态环境局", dt.date(year - 5, 5, 1), self.today - 40 * DAY),  # expired
                ("赵丽娟", "柳溪县自然资源局", dt.date(year - 2, 1, 10), dt.date(year + 3, 1, 9)),
                ("孙国强", "柳城镇综合行政执法队", dt.date(year - 3, 7, 1), self.today + 5 * DAY),  # expires in days
                ("周文斌", "柳城镇综合行政执法队", dt.date(year - 1, 7, 1), dt.date(year + 4, 6, 30)),
                ("吴婷婷", "溪口镇综合行政执法队", dt.date(year - 2, 8, 1), dt.date(year + 3, 7, 31)),
                ("郑海波", "溪口镇综合行政执法队", dt.date(year - 1, 3, 1), dt.date(year + 4, 2, 28)),
            ),
            start=1,
        ):
            officers.append(
                enforcement.officer_create(
                    actor=self.actor,
                    org=self.org[org],
                    name=name,
                    id_number=f"98012119{80 + n:02d}0{n % 9 + 1}1{n:02d}{(n * 7) % 10}{n % 10}",
                    certificate_number=f"西岭执{year - 3}{n:05d}",
                    issued_on=issued,
                    expires_on=expires,
                    joined_on=max(issued, dt.date(year - 1, 1, 1)),  # in this post since last year at most
                    left_on=None,
                )
            )
        self.count("enforcement", len(officers))
        # Last year's exams, all passed; this year's: everyone passes but two — one fails (52 < 60), one is
        # absent without excuse.
        for n, officer in enumerate(officers):
            enforcement.officer_year_record(
                actor=self.actor,
                officer=officer,
                year=year - 1,
                general_score=75 + (n * 5) % 20,
                special_score=72 + (n * 3) % 25,
                training_hours=64,
            )
            general, general_absence = 70 + (n * 7) % 28, ""
            if n == 1:
                general = 52
            if n == 5:
                general, general_absence = None, "unexcused"
            enforcement.officer_year_record(
                actor=self.actor,
                officer=officer,
                year=year,
                general_score=general,
                general_absence=general_absence,
                special_score=65 + (n * 11) % 33,
                training_hours=60 if n != 3 else 36,
            )
        # Annual case-file reviews: sampled files scored on the 100-point checklist.
        for n, (org, title, score) in enumerate(
            (
                ("柳溪县市场监督管理局", "销售过期食品案", 96),
                ("柳溪县市场监督管理局", "虚假宣传案", 91),
                ("柳溪县市场监督管理局", "无照经营案", 78),
                ("柳溪县生态环境局", "超标排放大气污染物案", 88),
                ("柳溪县生态环境局", "未批先建案", 55),
                ("柳城镇综合行政执法队", "违法占道经营案", 82),
                ("柳城镇综合行政执法队", "违法搭建案", 93),
            ),
            start=1,
        ):
            enforcement.case_file_create(
                actor=self.actor,
                org=self.org[org],
                year=year,
                case_number=f"柳{org[3:5] if org.startswith('柳溪县') else '城'}罚〔{year}〕{n * 13}号",
                title=title,
                reviewed_on=dt.date(year, 11, 10)
                if self.today >= dt.date(year, 11, 15)
                else max(dt.date(year, 1, 1), self.today - 5 * DAY),
                score=score,
            )
            self.count("enforcement")

    # --- disputes -----------------------------------------------------------------------------------------------

    def disputes(self) -> None:
        d, year = self.days, self.year
        county = self.org[COUNTY]

        def create(make):
            if self.guarded(make) is not None:
                self.count("disputes")

        # Reconsideration (the county government as the reconsideration body): 60 days after acceptance.
        for n, (respondent, matter, received, decided, decision, corrected) in enumerate(
            (
                ("柳溪县市场监督管理局", "不服行政处罚决定", -150, -100, "uphold", False),
                ("柳溪县自然资源局", "不服不动产登记行为", -140, -95, "revoke", True),
                ("柳溪县住房和城乡建设局", "不服责令限期拆除决定", -120, -70, "confirm_illegal", True),
                ("柳溪县交通运输局", "不服行政处罚决定", -75, None, "", None),  # overdue: due 10 days ago
                ("柳溪县生态环境局", "不服责令停产整治决定", -60, None, "", None),  # due within days
                ("柳溪县市场监督管理局", "不服行政许可决定", -20, None, "", None),
            ),
            start=1,
        ):
            fields = {
                "case_number": f"柳政复〔{year}〕{n}号",
                "applicant": ("周某", "吴某", "郑某", "冯某", "陈某", "褚某")[n - 1],
                "respondent": respondent,
                "matter": matter,
                "received_on": d(received),
                "accepted_on": d(received + 3),
                "handlers": "黄志明、林晓燕",
            }
            if decided is not None:
                fields.update(decided_on=d(decided), decision=decision, act_corrected=corrected)
            create(lambda fields=fields: disputes.reconsideration_create(actor=self.actor, org=county, **fields))
        # Litigation: the agency head appeared in some hearings, not in others.
        for n, (org, matter, filed, hearing, appeared, outcome) in enumerate(
            (
                ("柳溪县自然资源局", "土地行政处罚", -200, -150, True, "won"),
                ("柳溪县住房和城乡建设局", "房屋征收补偿决定", -180, -120, True, "lost"),
                ("柳溪县市场监督管理局", "行政处罚", -160, -100, False, "won"),
                ("柳溪县人民政府办公室", "政府信息公开答复", -90, -30, True, "withdrawn"),
                ("柳溪县交通运输局", "行政强制", -40, None, None, ""),
            ),
            start=1,
        ):
            fields = {
                "court": "岚州市中级人民法院" if n % 2 else "柳溪县人民法院",
                "case_number": f"（{year}）西01行初{n * 17}号",
                "matter": matter,
                "filed_on": d(filed),
                "hearing_on": d(hearing) if hearing is not None else None,
                "head_appeared": appeared,
                "outcome": outcome,
                "closed_on": d(hearing + 20) if outcome else None,
            }
            create(
                lambda org=org, fields=fields: disputes.litigation_create(actor=self.actor, org=self.org[org], **fields)
            )
        # 柳城镇's mediations through the register's bulk path (as an import writes them): the seed's Le'an figures.
        township = self.org[MEDIATION_TOWNSHIP]
        matters = ("宅基地边界纠纷", "邻里纠纷", "婚姻家庭纠纷", "土地承包经营纠纷", "劳务报酬纠纷", "相邻通行纠纷")
        drafts = []
        for n in range(1, LEAN_SCREENED + 1):
            screened = dt.date(year, 1, 1) + dt.timedelta(
                days=(n * 3) % max(1, (self.today - dt.date(year, 1, 1)).days)
            )
            fields = {
                "number": f"柳城调〔{year}〕{n}号",
                "kind": "peoples" if n % 5 else "administrative",
                "matter": matters[n % len(matters)],
                "screened_on": screened,
            }
            if n <= LEAN_MEDIATED:
                fields.update(mediated_on=screened, concluded_on=min(screened + 7 * DAY, self.today))
                fields["outcome"] = "settled" if n <= LEAN_SETTLED else "failed"
            drafts.append((township, fields))
        disputes.record_bulk_create(disputes.MEDIATION, actor=self.actor, drafts=drafts)
        self.count("disputes", len(drafts))
        # Disclosure requests: 20 working days to answer.
        for n, (org, subject, received, answered, reply) in enumerate(
            (
                ("柳溪县人民政府办公室", "本县年度财政预算执行情况", -90, -70, "disclosed"),
                ("柳溪县自然资源局", "某地块土地征收批复文件", -80, -50, "partly"),
                ("柳溪县住房和城乡建设局", "老旧小区改造项目资金使用情况", -70, -45, "disclosed"),
                ("柳溪县生态环境局", "某企业环境影响评价报告", -45, None, ""),  # overdue
                ("柳溪县教育局", "义务教育学校招生划片方案", -24, None, ""),  # due within days
                ("柳溪县交通运输局", "农村公路建设项目清单", -3, None, ""),
            ),
            start=1,
        ):
            fields = {
                "number": f"柳依申〔{year}〕{n}号",
                "applicant": ("蒋某", "沈某", "韩某", "杨某", "朱某", "秦某")[n - 1],
                "subject": subject,
                "received_on": d(received),
            }
            if answered is not None:
                fields.update(answered_on=d(answered), reply=reply)
            create(
                lambda org=org, fields=fields: disputes.disclosure_create(actor=self.actor, org=self.org[org], **fields)
            )

    # --- study and publicity ------------------------------------------------------------------------------------

    def study(self) -> None:
        year = self.year
        county = self.org[COUNTY]
        people = (
            ("王振华", "县长", True),
            ("李建明", "常务副县长", True),
            ("张秀英", "副县长", True),
            ("陈立新", "县政府办公室主任", True),
            ("杨晓燕", "县司法局局长", True),
            ("赵文涛", "法制股股长", False),
            ("黄雅婷", "科员", False),
            ("周建平", "科员", False),
        )
        study.learner_bulk_create(
            actor=self.actor,
            drafts=[
                study.LearnerDraft(org=county, name=name, post=post, is_leader=leader) for name, post, leader in people
            ],
        )
        self.count("study", len(people))
        names = [name for name, _post, _leader in people]

        def on(month: int, day: int) -> dt.date:
            day_ = dt.date(year, month, day)
            return day_ if day_ <= self.today else dt.date(year - 1, month, day)

        sessions = (
            ("central_group", on(3, 18), "6", "学习习近平法治思想", names[:5]),
            ("central_group", on(9, 16), "4", "学习《中华人民共和国行政复议法》", names[:5]),
            ("pre_meeting", on(4, 8), "1", "会前学法：《优化营商环境条例》", names[:5]),
            ("pre_meeting", on(6, 10), "1", "会前学法：《中华人民共和国安全生产法》", names[:5]),
            ("seminar", on(5, 20), "8", "领导干部依法行政专题研讨班", names[:6]),
            ("seminar", on(10, 22), "8", "重大行政决策程序专题研讨班", names[:6]),
            ("lecture", on(7, 15), "3", "民法典与基层治理专题讲座", names),
            ("report_hearing", on(2, 25), "2", "听取县司法局关于上年度法治政府建设情况的汇报", names[:5]),
        )
        for kind, date, hours, topic, attendees in sessions:
            study.session_create(
                actor=self.actor,
                org=county,
                kind=kind,
                date=date,
                hours=Decimal(hours),
                topic=topic,
                attendees=[AttendeeEntry(name, None) for name in attendees],
            )
        study.session_create(
            actor=self.actor,
            org=county,
            kind="online_course",
            date=on(8, 30),
            hours=Decimal("20"),
            topic="国家工作人员学法用法网络课程",
            attendees=[AttendeeEntry(name, Decimal(20 if n % 3 else 12)) for n, name in enumerate(names)],
        )
        self.count("study", len(sessions) + 1)
        for date, title in ((on(4, 8), "县政府第8次常务会议"), (on(6, 10), "县政府第12次常务会议")):
            study.meeting_create(actor=self.actor, org=county, date=date, title=title)
        self.count("study", 2)
        events = [
            (county, on(3, 15), "consumer_rights", "3·15国际消费者权益日法治宣传", "柳溪县人民广场", 600, 3000),
            (county, on(6, 26), "anti_drug", "6·26国际禁毒日禁毒宣传", "柳溪县第一中学", 900, 2000),
            (county, on(12, 4), "constitution", "12·4国家宪法日宪法宣传周", "柳溪县人民广场", 800, 2500),
            (self.org["柳城镇"], on(12, 4), "constitution", "宪法进乡村宣传活动", "柳城镇农贸市场", 300, 800),
            (self.org["溪口镇"], on(3, 15), "consumer_rights", "消费维权进集市", "溪口镇集贸市场", 200, 600),
        ]
        study.publicity_bulk_create(
            actor=self.actor,
            drafts=[
                study.PublicityDraft(
                    org=org,
                    date=date,
                    theme=theme,
                    title=title,
                    place=place,
                    participants=participants,
                    materials=materials,
                )
                for org, date, theme, title, place, participants, materials in events
            ],
        )
        self.count("study", len(events))


STEP_SUMMARIES = {
    "public_participation": "在县政府门户网站公开征求意见，收到意见建议12条，采纳7条。",
    "hearing": "召开听证会，听证代表15名。",
    "expert_argumentation": "组织5名专家论证，形成书面论证意见。",
    "risk_assessment": "委托第三方开展社会稳定风险评估，结论为低风险。",
    "legality_review": "县司法局出具合法性审查意见书，意见为合法。",
    "collective_decision": "经县政府常务会议集体讨论决定。",
}


def demo_ledgers_load(*, today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> dict:
    """Fill every ledger of the demo city; the number of records written per ledger."""
    report = progress or (lambda message: None)
    loader = _Loader(today or timezone.localdate())
    root = loader.org[COUNTY]
    while root.parent_id is not None:
        root = root.parent
    demo_calendar_load(today=loader.today, org=root)  # illustrative days for an uncovered year (docs/demo.md)
    loader.documents()
    loader.decisions()
    loader.enforcement()
    loader.disputes()
    loader.study()
    report(
        _(
            "Ledgers: %(documents)d normative documents, %(decisions)d major decisions, %(enforcement)d enforcement "
            "records, %(disputes)d dispute records, %(study)d study and publicity records"
        )
        % {key: loader.counts.get(key, 0) for key in ("documents", "decisions", "enforcement", "disputes", "study")}
    )
    return loader.counts
