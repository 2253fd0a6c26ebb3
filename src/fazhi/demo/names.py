"""Invented but plausible Chinese place and unit names for the demo data. Pure, no Django.

Every function draws from a ``random.Random`` the caller seeds, so the same seed gives the same
names on every machine. :class:`NamePicker` keeps names unique among siblings.
"""

from __future__ import annotations

import random

# Characters that begin place names, and characters that end them (terrain, water, settlement).
_FIRST = (
    "青白石清长安永平新东西南北金银桃柳松桂梅兰竹杨龙凤马鹿云山河江湖溪泉林丰富兴和太宝福玉红黄双三高大"
    "上下前后中王李张刘陈赵周吴孙胡朱郭何罗宋唐韩冯邓曹彭曾萧田董潘袁蒋蔡余杜叶程苏魏吕丁沈任姚卢"
)
_SECOND = "山水河溪桥坪岭湾塘坝庄寨口坡田沟冲铺集店园林岗洲港川原阳城源泉峪湖滩营屯堡台岩洞峰谷"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
_SETTLEMENT = "庄湾坪岭沟塘坝寨铺营屯店集桥冲坡洼岗圩"
_DIRECTION = ("东", "西", "南", "北", "中")

# Given names for people in the demo (two characters each).
_GIVEN = (
    "建国",
    "明远",
    "晓梅",
    "志强",
    "丽华",
    "海燕",
    "文博",
    "秀英",
    "国平",
    "子涵",
    "雨桐",
    "俊杰",
    "静怡",
    "永胜",
    "春兰",
    "立新",
)


def place_stem(rng: random.Random) -> str:
    """Two or three characters that sound like a place: 青溪, 李家湾, 石桥."""
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(_SURNAMES) + "家" + rng.choice(_SETTLEMENT)
    if roll < 0.45:
        return rng.choice(_DIRECTION) + rng.choice(_SECOND)
    first, second = rng.choice(_FIRST), rng.choice(_SECOND)
    while second == first:
        second = rng.choice(_SECOND)
    return first + second


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


class NamePicker:
    """Draws stems that are unique within one scope (the children of one parent)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def stem(self, suffix: str = "") -> str:
        """A fresh stem (unique with its suffix in this picker); numbered if the pool runs dry."""
        for _ in range(50):
            stem = place_stem(self.rng)
            if stem + suffix not in self.used:
                self.used.add(stem + suffix)
                return stem
        base = place_stem(self.rng)
        number = 2
        while f"{base}{number}{suffix}" in self.used:
            number += 1
        self.used.add(f"{base}{number}{suffix}")
        return f"{base}{number}"

    def reserve(self, name: str) -> None:
        self.used.add(name)


# Government departments a county (or city) has, with the short name of each.
COUNTY_DEPARTMENTS = (
    "人民政府办公室",
    "司法局",
    "公安局",
    "市场监督管理局",
    "生态环境局",
    "教育局",
    "人力资源和社会保障局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "卫生健康委员会",
    "应急管理局",
    "文化和旅游局",
    "财政局",
    "民政局",
)

# Units of a township's government.
TOWNSHIP_UNITS = ("司法所", "综合行政执法队", "便民服务中心", "综治中心")

COUNTY_SCHOOLS = ("第一中学", "第二中学", "实验小学", "职业技术学校", "实验幼儿园")

ENTERPRISE_TRADES = (
    "城市建设投资集团有限公司",
    "自来水有限公司",
    "茶业有限公司",
    "农业发展有限公司",
    "公共交通有限公司",
    "文化旅游开发有限公司",
    "建材有限公司",
    "食品有限公司",
)


def short_area_name(name: str) -> str:
    """柳溪县 → 柳溪, 城东街道 → 城东: the name without its administrative suffix."""
    for suffix in ("街道", "社区", "省", "市", "县", "区", "镇", "乡", "村"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
