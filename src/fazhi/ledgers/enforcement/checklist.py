"""The case-file review checklist (案卷评查标准): items and their points, summing to 100. Pure data, no Django.

This is the documented default (docs/ledgers/enforcement.md): the items follow the usual provincial case-file
review standards (主体、事实证据、法律适用、程序、文书、归档). A reviewer gives each item from 0 to its points; the
case file's score is the sum. Change the points here (keeping the sum at 100) to follow a local standard.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.problems import gettext_noop


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    header: str  # the Chinese column header of the case-file import
    title: str  # English msgid
    points: int


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("authority", "执法主体", gettext_noop("Lawful enforcement body and certified officers"), 10),
    ChecklistItem("facts", "事实证据", gettext_noop("Facts clear, evidence sufficient"), 25),
    ChecklistItem("law", "法律适用", gettext_noop("Law applied correctly, discretion within the benchmark"), 20),
    ChecklistItem(
        "procedure", "执法程序", gettext_noop("Lawful procedure (notice, statement, hearing, legal review)"), 25
    ),
    ChecklistItem("documents", "执法文书", gettext_noop("Enforcement documents complete and correctly written"), 10),
    ChecklistItem("filing", "立卷归档", gettext_noop("Case file bound and archived to standard"), 10),
)

CHECKLIST_TOTAL = sum(item.points for item in CHECKLIST)
ITEMS = {item.code: item for item in CHECKLIST}
assert CHECKLIST_TOTAL == 100, "the case-file checklist must sum to 100 points"
