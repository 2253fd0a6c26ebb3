"""The demo city's creation campaigns: one in each stage worth showing, run through the services.

- **岚州市{year}年度民主法治示范村（社区）创建（第二批）** — in the application stage: 柳林村's application
  is a draft (partly self-assessed), 河西村's is submitted (with an evidence PDF) and waits for 柳城镇's
  recommender, 青石村's was returned for correction.
- **柳溪县{year}年度依法行政示范单位创建** — on public notice since two days ago: three bureaus reviewed by the
  city's experts, results published, the two best on notice.
- **岚州市{year}年度依法行政示范单位创建** — in the expert review stage: three departments recommended and
  assigned to the three experts of 岚州市法治建设专家库; expert_lin has submitted every sheet, expert_zheng
  has a draft, expert_gao has not started.
- **岚州市{year}年度民主法治示范村（社区）创建（第一批）** — finished: reviewed by the three experts, a veto
  recorded, results computed and published, an objection filed during the public notice and dismissed, two
  units named (designations with certificates, the published named list), the campaign closed.

Every step is a service call by the account that would make it (the city administrator, the clerks, the
recommenders, the experts), so each is checked by the same rules as on a page and audited. Past stages run
with the dates they would have had (``today=``), so the finished campaign's notice lies in the past.
Answers are generated from each leaf's rule (:func:`leaf_answers`), deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.campaigns.models import Application, Campaign, CampaignKind, ScoreSheet, Stage
from fazhi.campaigns.services import applications as application_services
from fazhi.campaigns.services.assignments import assignments_run
from fazhi.campaigns.services.campaigns import campaign_create
from fazhi.campaigns.services.designations import designations_name
from fazhi.campaigns.services.evidence import evidence_add
from fazhi.campaigns.services.notice import objection_dismiss, objection_file, objection_source
from fazhi.campaigns.services.pool import pool_add
from fazhi.campaigns.services.results import results_compute, results_publish
from fazhi.campaigns.services.sheets import sheet_save, sheet_submit, standard_spec
from fazhi.campaigns.services.stages import campaign_advance
from fazhi.campaigns.services.vetoes import veto_record
from fazhi.indicators import spec
from fazhi.indicators.models import Standard, VetoItem
from fazhi.orgs.models import Org, User

# The reviewers' home: a unit of its own under the city, outside every applicant's subtree (the
# conflict rule keeps a reviewer away from the subtrees of the orgs they belong to).
EXPERT_ORG = "岚州市法治建设专家库"
EXPERTS = ("expert_lin", "expert_zheng", "expert_gao")

VILLAGE_STANDARD = "democracy-rule-of-law-village"
UNIT_STANDARD = "yfxz-demonstration-unit"

# Titles by year (the year of the campaign's application stage).
VILLAGE_TITLE = "岚州市{year}年度民主法治示范村（社区）创建"
UNIT_TITLE = "岚州市{year}年度依法行政示范单位创建"
COUNTY_UNIT_TITLE = "柳溪县{year}年度依法行政示范单位创建"

# How many days before today each campaign's application stage opened.
NAMED_FIRST = -150

STATEMENT = "已按要求落实，相关制度、台账和记录齐全，详见佐证材料。"


# --- answers -------------------------------------------------------------------------------------


def leaf_answer(leaf: spec.Indicator, quality: float, rng: random.Random):
    """An answer to ``leaf`` in the engine's form, about ``quality`` (0–1) of its full marks."""
    rule = leaf.rule
    quality = min(1.0, max(0.0, quality))
    if rule.kind == spec.MANUAL:
        step = rule.step or spec.DEFAULT_STEP
        if quality >= 0.97:
            return leaf.points
        return min(leaf.points, int(leaf.points * quality) // step * step)
    if rule.kind == spec.CHECKLIST:
        met = round(len(rule.items) * quality)
        return list(range(met))
    if rule.kind == spec.DEDUCTION:
        return 0 if rng.random() < quality else 1
    if rule.kind == spec.RATIO:
        value = rule.zero_at + (rule.full_at - rule.zero_at) * Decimal(str(round(quality, 2)))
        return min(Decimal(1), max(Decimal(0), value.quantize(Decimal("0.01"))))
    # tiers: the top tier, or the one below it
    top = rng.random() < quality
    return rule.tiers[0 if top or len(rule.tiers) == 1 else 1].min


def leaf_answers(std: spec.Standard, *, quality: float, seed: int) -> dict[str, object]:
    """An answer for every leaf, each within ±0.08 of ``quality``; the same seed gives the same answers."""
    rng = random.Random(seed)
    return {leaf.code: leaf_answer(leaf, quality + rng.uniform(-0.08, 0.08), rng) for leaf in std.leaves()}


def demo_pdf(title: str) -> bytes:
    """A small, well-formed one-page PDF (an evidence file of the demo)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\n"
    out += b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return bytes(out)


# --- steps ---------------------------------------------------------------------------------------


class _Demo:
    def __init__(self, standards: Iterable[Standard], today: dt.date):
        self.standards = {standard.code: standard for standard in standards}
        self.today = today
        self.users = {user.username: user for user in User.objects.all()}
        self.orgs: dict[str, Org] = {}

    def org(self, name: str) -> Org:
        if name not in self.orgs:
            self.orgs[name] = Org.objects.get(name=name)
        return self.orgs[name]

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def stages(self, first: int) -> dict[str, tuple[dt.date, dt.date]]:
        """The dated stages one after another from ``first`` days from today: application 30 days, the
        others 14 (the notice's 14 days cover its 7-day period)."""
        lengths = (("application", 30), ("recommendation", 14), ("review", 14), ("inspection", 14))
        lengths += (("notice", 14), ("naming", 14))
        dates, start = {}, first
        for stage, days in lengths:
            dates[stage] = (self.day(start), self.day(start + days - 1))
            start += days
        return dates

    def campaign(
        self,
        *,
        title: str,
        kind: str,
        standard: str,
        first: int,
        batch: str = "第一批",
        organiser: str = "岚州市",
        admin: str = "city_admin",
        **settings,
    ):
        year = self.day(first).year
        campaign = campaign_create(
            actor=self.users[admin],
            organiser=self.org(organiser),
            kind=kind,
            title=title.format(year=year),
            batch=batch,
            year=year,
            standard=self.standards[standard],
            stages=self.stages(first),
            # the demo has no ledger records yet: its applicants answer the metric-bound indicators by hand
            scores_from_records=False,
            **settings,
        )
        return self.advance(campaign, to=Stage.APPLICATION, today=self.day(first), admin=admin)

    def advance(
        self, campaign: Campaign, *, to: str, today: dt.date | None = None, admin: str = "city_admin"
    ) -> Campaign:
        while campaign.stage != to:
            campaign = campaign_advance(actor=self.users[admin], campaign=campaign, today=today or self.today)
        return campaign

    def apply(
        self, campaign: Campaign, org: str, clerk: str, *, quality: float, seed: int, partial: bool = False
    ) -> Application:
        actor = self.users[clerk]
        application = application_services.application_create(actor=actor, campaign=campaign, org=self.org(org))
        answers = leaf_answers(standard_spec(campaign.standard), quality=quality, seed=seed)
        if partial:
            answers = dict(list(answers.items())[: len(answers) // 3])
        application_services.answers_save(
            actor=actor,
            application=application,
            answers=[application_services.AnswerInput(code, value, STATEMENT) for code, value in answers.items()],
        )
        return application

    def submit(self, application: Application, clerk: str) -> Application:
        return application_services.application_submit(actor=self.users[clerk], application=application)

    def recommend(self, application: Application, recommender: str) -> Application:
        return application_services.application_recommend(actor=self.users[recommender], application=application)

    def score(self, campaign: Campaign, expert: str, *, quality: float, submit: bool = True, only: int | None = None):
        """``expert`` fills in (and submits) their sheets of ``campaign``; ``only``: just the first so many."""
        actor = self.users[expert]
        std = standard_spec(campaign.standard)
        sheets = ScoreSheet.objects.filter(
            assignment__reviewer=actor, assignment__application__campaign=campaign
        ).order_by("assignment__application__org__code")
        for sheet in list(sheets)[:only]:
            seed = zlib.crc32(f"{expert}:{sheet.assignment.application.org.code}".encode()) & 0xFFFF
            answers = leaf_answers(std, quality=quality + (seed % 7 - 3) / 100, seed=seed)
            if not submit:
                answers = dict(list(answers.items())[: len(answers) // 2])
            bonus = {std.bonus[-1].code: True} if std.bonus and quality > 0.9 else None
            sheet_save(actor=actor, sheet=sheet, answers=answers, bonus=bonus)
            if submit:
                sheet_submit(actor=actor, sheet=sheet)


# --- the three campaigns -----------------------------------------------------------------------------


def _applying(demo: _Demo) -> Campaign:
    """Applications open: a draft, a submitted application with evidence, a returned one."""
    first = -10
    same_year = demo.day(first).year == demo.day(NAMED_FIRST).year
    campaign = demo.campaign(
        title=VILLAGE_TITLE,
        kind=CampaignKind.DEMOCRACY_VILLAGE,
        standard=VILLAGE_STANDARD,
        first=first,
        batch="第二批" if same_year else "第一批",
        eligible_kinds=["village", "community"],
        pass_score=8500,
        quota=5,
    )
    demo.apply(campaign, "柳林村", "village_clerk", quality=0.9, seed=1, partial=True)
    submitted = demo.apply(campaign, "河西村", "township_clerk", quality=0.93, seed=2)
    evidence_add(
        actor=demo.users["township_clerk"],
        application=submitted,
        uploaded_file=SimpleUploadedFile(
            "河西村民主法治建设工作台账.pdf", demo_pdf("Hexi village ledger 2026"), "application/pdf"
        ),
    )
    demo.submit(submitted, "township_clerk")
    returned = demo.apply(campaign, "青石村", "township_clerk", quality=0.8, seed=3)
    demo.submit(returned, "township_clerk")
    application_services.application_return(
        actor=demo.users["township_recommender"],
        application=returned,
        reason="“四议两公开”会议记录缺少2026年第二季度的内容，请补充后重新提交。",
    )
    return campaign


def _reviewing(demo: _Demo) -> Campaign:
    """Expert review under way: every sheet of expert_lin submitted, a draft of expert_zheng's, none of
    expert_gao's."""
    campaign = demo.campaign(
        title=UNIT_TITLE,
        kind=CampaignKind.LAW_BASED_ADMINISTRATION,
        standard=UNIT_STANDARD,
        first=-50,
        eligible_kinds=["department"],
        pass_score=8000,
        quota=2,
    )
    entries = (
        ("柳溪县司法局", "department_clerk", "recommender", 0.94),
        ("柳城镇司法所", "township_clerk", "township_recommender", 0.88),
        ("柳城镇综合行政执法队", "township_clerk", "township_recommender", 0.82),
    )
    for seed, (org, clerk, recommender, quality) in enumerate(entries, start=11):
        application = demo.submit(demo.apply(campaign, org, clerk, quality=quality, seed=seed), clerk)
        demo.recommend(application, recommender)
    campaign = demo.advance(campaign, to=Stage.REVIEW, today=demo.day(-6))
    assignments_run(actor=demo.users["city_admin"], campaign=campaign)
    demo.score(campaign, "expert_lin", quality=0.9)
    demo.score(campaign, "expert_zheng", quality=0.88, submit=False, only=1)
    return campaign


def _on_notice(demo: _Demo) -> Campaign:
    """A county's campaign on public notice since two days ago: reviewed by the city's experts (added to the
    pool by the county), results published, the two best units on notice, open to objections."""
    campaign = demo.campaign(
        title=COUNTY_UNIT_TITLE,
        kind=CampaignKind.LAW_BASED_ADMINISTRATION,
        standard=UNIT_STANDARD,
        first=-72,
        organiser="柳溪县",
        admin="county_admin",
        eligible_kinds=["department"],
        pass_score=8000,
        quota=2,
    )
    for expert in EXPERTS:
        pool_add(actor=demo.users["county_admin"], campaign=campaign, user=demo.users[expert])
    # The bureaus have no clerk among the demo accounts: the system administrator entered their applications.
    entries = (("柳溪县公安局", 0.93), ("柳溪县市场监督管理局", 0.9), ("柳溪县生态环境局", 0.84))
    for seed, (org, quality) in enumerate(entries, start=31):
        application = demo.submit(demo.apply(campaign, org, "admin", quality=quality, seed=seed), "admin")
        demo.recommend(application, "recommender")
    campaign = demo.advance(campaign, to=Stage.REVIEW, today=demo.day(-30), admin="county_admin")
    assignments_run(actor=demo.users["county_admin"], campaign=campaign)
    for expert, quality in zip(EXPERTS, (0.92, 0.89, 0.9), strict=True):
        demo.score(campaign, expert, quality=quality)
    campaign = demo.advance(campaign, to=Stage.INSPECTION, today=demo.day(-16), admin="county_admin")
    version = results_compute(actor=demo.users["county_admin"], campaign=campaign, reason="专家评审结束")
    results_publish(actor=demo.users["county_admin"], version=version)
    return demo.advance(campaign, to=Stage.NOTICE, today=demo.day(-2), admin="county_admin")


def _named(demo: _Demo) -> Campaign:
    """The whole flow, finished: reviewed, a veto, results published, an objection dismissed, two named."""
    first = NAMED_FIRST
    campaign = demo.campaign(
        title=VILLAGE_TITLE,
        kind=CampaignKind.DEMOCRACY_VILLAGE,
        standard=VILLAGE_STANDARD,
        first=first,
        eligible_kinds=["village", "community"],
        pass_score=8500,
        quota=2,
    )
    entries = (("城关社区", 0.95), ("王家庄村", 0.92), ("河西村", 0.9))
    applications = []
    for seed, (org, quality) in enumerate(entries, start=21):
        application = demo.submit(
            demo.apply(campaign, org, "township_clerk", quality=quality, seed=seed), "township_clerk"
        )
        applications.append(demo.recommend(application, "township_recommender"))
    campaign = demo.advance(campaign, to=Stage.REVIEW, today=demo.day(first + 44))
    assignments_run(actor=demo.users["city_admin"], campaign=campaign)
    for expert, quality in zip(EXPERTS, (0.94, 0.9, 0.92), strict=True):
        demo.score(campaign, expert, quality=quality)
    veto_record(
        actor=demo.users["city_admin"],
        application=applications[2],
        item=VetoItem.objects.get(standard=campaign.standard, code="V4"),
        reason="经核查，申报材料中的矛盾纠纷调解台账存在补记、代签情况。",
    )
    campaign = demo.advance(campaign, to=Stage.INSPECTION, today=demo.day(first + 58))
    version = results_compute(actor=demo.users["city_admin"], campaign=campaign, reason="专家评审结束")
    results_publish(actor=demo.users["city_admin"], version=version)
    notice_day = demo.day(first + 72)
    campaign = demo.advance(campaign, to=Stage.NOTICE, today=notice_day)
    on_notice = Application.objects.filter(campaign=campaign, state="on_notice").order_by("org__code").first()
    objection = objection_file(
        application=on_notice,
        name="张建军",
        contact="13912345678",
        reasons="该村去年有村民反映村务公开栏长期未更新，请核实其村务公开情况。",
        source=objection_source("192.0.2.10"),
        today=notice_day + dt.timedelta(days=2),
    )
    objection_dismiss(
        actor=demo.users["city_admin"],
        objection=objection,
        reason="经实地核查，该村村务公开栏按季度更新，有照片和公开记录为证，异议不成立。",
    )
    naming_day = demo.day(first + 86)
    campaign = demo.advance(campaign, to=Stage.NAMING, today=naming_day)
    designations_name(actor=demo.users["city_admin"], campaign=campaign, today=naming_day)
    return demo.advance(campaign, to=Stage.CLOSED, today=naming_day)


def demo_campaigns_load(
    *, standards: Iterable[Standard], today: dt.date | None = None, progress: Callable[[str], None] | None = None
) -> list[Campaign]:
    """Create the demo's campaigns (inside the caller's transaction); the accounts and standards must exist."""
    report = progress or (lambda message: None)
    demo = _Demo(standards, today or timezone.localdate())
    campaigns = [_named(demo), _on_notice(demo), _reviewing(demo), _applying(demo)]
    for campaign in campaigns:
        report(_("%(campaign)s: %(stage)s") % {"campaign": campaign.title, "stage": Stage(campaign.stage).label})
    return campaigns


# The accounts the demo's campaigns need (listed in ``fazhi.demo.city.ACCOUNTS`` and docs/demo.md).
CAMPAIGN_ACCOUNTS = (
    ("expert_lin", "林静怡", EXPERT_ORG, "reviewer"),
    ("expert_zheng", "郑国华", EXPERT_ORG, "reviewer"),
    ("expert_gao", "高雅琴", EXPERT_ORG, "reviewer"),
    ("township_recommender", "何志远", "柳城镇", "recommender"),
)
