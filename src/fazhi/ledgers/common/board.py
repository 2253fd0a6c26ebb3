"""The deadline board: what is overdue and what falls due soon, across every registered ledger, for an org subtree.

Each ledger's ``deadlines(scope, start, end)`` is asked once (so the board costs a few queries per ledger, never
per row) for the items due from ``OVERDUE_SINCE`` to today + ``FAZHI_DEADLINE_SOON_DAYS``; the board sorts them by
due date and splits them into overdue (due before today) and due soon.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fazhi.ledgers.common.registry import Deadline, ledgers
from fazhi.orgs import roles
from fazhi.orgs.access import scope_q
from fazhi.orgs.models import Org, subtree_q

# The board's far past: anything undone since then is overdue.
OVERDUE_SINCE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class BoardRow:
    deadline: Deadline
    ledger_title: str
    days_late: int  # > 0 when overdue


@dataclass
class Board:
    today: dt.date
    soon_until: dt.date
    overdue: list[BoardRow] = field(default_factory=list)
    due_soon: list[BoardRow] = field(default_factory=list)


def board_scope(user, org: Org | None) -> Q:
    """The Q over ``org__path``: the user's LEDGER_VIEW scope, within ``org``'s subtree when given."""
    scope = scope_q(user, roles.LEDGER_VIEW, "org__path") if user is not None else Q()
    if org is not None:
        scope &= subtree_q(org.path, "org__path")
    return scope


def deadline_board(*, scope: Q, today: dt.date, soon_days: int | None = None) -> Board:
    soon = settings.FAZHI_DEADLINE_SOON_DAYS if soon_days is None else soon_days
    board = Board(today=today, soon_until=today + dt.timedelta(days=soon))
    found: list[BoardRow] = []
    for info in ledgers():
        if info.deadlines is not None:
            title = str(info.title)
            found.extend(
                BoardRow(deadline, title, (today - deadline.due).days)
                for deadline in info.deadlines(scope, OVERDUE_SINCE, board.soon_until)
            )
    found.sort(key=lambda row: (row.deadline.due, row.deadline.org_name, row.deadline.ledger, row.deadline.record))
    for row in found:
        (board.overdue if row.days_late > 0 else board.due_soon).append(row)
    return board


def board_orgs(user):
    """The organisations the board suggests: the user's LEDGER_VIEW scope, areas and units above the villages (a
    village's own items show under its township). Any organisation of the scope can still be typed."""
    return (
        Org.objects.filter(scope_q(user, roles.LEDGER_VIEW), is_active=True)
        .exclude(kind__in=("village", "community"))
        .only("pk", "name", "code", "path", "depth")
    )


def board_xlsx(board: Board) -> bytes:
    """The board as one sheet: status, due date, days late, ledger, what, record, organisation (overdue first)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Deadlines")[:31])
    for letter, width in zip("ABCDEFG", (10, 12, 10, 16, 30, 50, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    headers = [_("Status"), _("Due"), _("Days late"), _("Ledger"), _("What"), _("Record"), _("Organisation")]
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for status, items in ((_("Overdue"), board.overdue), (_("Due soon"), board.due_soon)):
        for row in items:
            deadline = row.deadline
            sheet.append(
                [
                    status,
                    deadline.due,
                    row.days_late if row.days_late > 0 else None,
                    row.ledger_title,
                    deadline.what,
                    deadline.record,
                    deadline.org_name,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
