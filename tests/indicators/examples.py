"""The example standard of issue 3 as plain data, its leaves summing to its total (26 points)."""

from __future__ import annotations

from decimal import Decimal

from fazhi.indicators import spec

TEN_HAVES = (
    "法治展牌",
    "法治宣传栏",
    "法律图书角",
    "法律顾问",
    "人民调解室",
    "普法志愿者",
    "学法制度",
    "村规民约",
    "法治文化墙",
    "法律明白人",
)


def example_standard(**header) -> spec.Standard:
    values = {
        "code": "yfxz-county",
        "version": "2025",
        "title": "依法行政示范单位考评标准",
        "source": "种子文档 ❹",
        "total": 2600,
        "pass_score": 2200,
        "bonus_cap": 500,
        "indicators": (
            spec.Indicator(
                code="1",
                title="领导干部学法用法",
                points=2600,
                children=(
                    spec.Indicator(
                        code="1.1",
                        title="健全学法制度",
                        points=400,
                        rule=spec.Rule(spec.MANUAL, step=50),
                        guidance="查阅学法计划和记录",
                        evidence=("学法计划", "学法记录"),
                    ),
                    spec.Indicator(
                        code="1.2",
                        title="十有",
                        points=1000,
                        rule=spec.Rule(spec.CHECKLIST, items=tuple(spec.ChecklistItem(t, 100) for t in TEN_HAVES)),
                    ),
                    spec.Indicator(code="1.3", title="违法案件", points=500, rule=spec.Rule(spec.DEDUCTION, per=100)),
                    spec.Indicator(
                        code="1.4",
                        title="调解成功率",
                        points=400,
                        rule=spec.Rule(
                            spec.RATIO,
                            full_at=Decimal("0.95"),
                            zero_at=Decimal("0.6"),
                            metric="disputes.mediation_success_rate",
                        ),
                    ),
                    spec.Indicator(
                        code="1.5",
                        title="专题研讨班",
                        points=300,
                        rule=spec.Rule(
                            spec.TIERS,
                            tiers=(
                                spec.Tier(Decimal("2"), 300),
                                spec.Tier(Decimal("1"), 150),
                                spec.Tier(Decimal("0"), 0),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "bonus": (spec.BonusItem("B1", "获得省级以上表彰", 200),),
        "veto": (spec.VetoItem("V1", "发生重大违法行政案件"),),
    }
    values.update(header)
    return spec.Standard(**values)
