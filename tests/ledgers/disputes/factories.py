"""Small builders of disputes records, through the services (so the rules and derived fields hold)."""

from __future__ import annotations

import datetime as dt
import itertools

from fazhi.ledgers.disputes import services

_numbers = itertools.count(1)


def reconsideration(org, *, actor=None, **fields):
    values = {
        "case_number": f"复〔2026〕{next(_numbers)}号",
        "respondent": "青山县市场监督管理局",
        "matter": "不服行政处罚决定",
        "received_on": dt.date(2026, 3, 2),
        "accepted_on": dt.date(2026, 3, 6),
        "handlers": "王某、李某",
    }
    values.update(fields)
    return services.reconsideration_create(actor=actor, org=org, **values)


def litigation(org, *, actor=None, **fields):
    values = {
        "court": "云溪市中级人民法院",
        "case_number": f"（2026）东01行初{next(_numbers)}号",
        "matter": "行政许可",
        "filed_on": dt.date(2026, 2, 10),
    }
    values.update(fields)
    return services.litigation_create(actor=actor, org=org, **values)


def mediation(org, *, actor=None, **fields):
    values = {
        "number": f"调〔2026〕{next(_numbers)}号",
        "kind": "peoples",
        "matter": "宅基地边界纠纷",
        "screened_on": dt.date(2026, 3, 1),
    }
    values.update(fields)
    return services.mediation_create(actor=actor, org=org, **values)


def disclosure(org, *, actor=None, **fields):
    values = {
        "number": f"公开〔2026〕{next(_numbers)}号",
        "subject": "财政预算执行情况",
        "received_on": dt.date(2026, 3, 2),
    }
    values.update(fields)
    return services.disclosure_create(actor=actor, org=org, **values)
