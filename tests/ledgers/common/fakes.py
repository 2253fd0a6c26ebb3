"""A fake ledger for the shared pages' tests: a deadline source and an importer with an export, registered by the
``fake_ledger`` fixture and forgotten afterwards (the real ledgers register their own in AppConfig.ready).

The fake ledger's "records" are audit events with action ``test.fake.item`` (they have an org, a label and a
JSON payload, so no model is needed): ``new = {"title": ..., "due": "YYYY-MM-DD"}``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record
from fazhi.core.cells import code, date, text
from fazhi.core.import_spec import Column
from fazhi.core.models import AuditEvent
from fazhi.ledgers.common.importing import LedgerImporter
from fazhi.ledgers.common.registry import Deadline
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability
from fazhi.orgs.models import Org

ACTION = "test.fake.item"


def fake_item(*, org: Org, title: str, due: dt.date, actor=None) -> AuditEvent:
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=ACTION,
            object_type="test.fake",
            object_repr=title,
            org=org,
            new={"title": title, "due": due.isoformat()},
        )


def fake_items(scope):
    return AuditEvent.objects.filter(scope, action=ACTION).select_related("org").order_by("seq")


def fake_deadlines(scope, start: dt.date, end: dt.date):
    """One query, whatever the number of items."""
    for event in fake_items(scope):
        due = dt.date.fromisoformat(event.new["due"])
        if start <= due <= end:
            yield Deadline(
                ledger="fake",
                what="报送",
                record=event.new["title"],
                url=f"/orgs/{event.org_id}/",
                org_id=event.org_id,
                org_name=event.org.name,
                due=due,
            )


class FakeImporter(LedgerImporter):
    kind = "ledgers.fake"
    title = "导入测试台账"
    sheet_name = "测试"
    columns = (
        Column("org_code", "单位代码", "单位代码", required=True, parse=code(max_length=18), text_format=True),
        Column("title", "事项", "事项", required=True, parse=text(max_length=100)),
        Column("due", "期限", "期限", required=True, parse=date()),
    )

    def prepare(self, rows):
        codes = {row["org_code"] for row in rows if row["org_code"]}
        self.orgs = {org.code: org for org in Org.objects.filter(code__in=codes)}

    def check_row(self, row):
        org = self.orgs.get(row["org_code"])
        if row["org_code"] and (org is None or not has_capability(self.actor, roles.LEDGER_EDIT, org)):
            row.error("org_code", _("no organisation with code %(code)s in your scope") % {"code": row["org_code"]})

    def write(self, rows):
        for row in rows:
            fake_item(org=self.orgs[row["org_code"]], title=row["title"], due=row["due"], actor=self.actor)
        return [f"导入 {len(rows)} 条。"]

    @classmethod
    def export_rows(cls, scope):
        for event in fake_items(scope):
            yield {
                "org_code": event.org.code,
                "title": event.new["title"],
                "due": dt.date.fromisoformat(event.new["due"]),
            }
