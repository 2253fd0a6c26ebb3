"""The pure rules of the ledger "Disputes": plain data in, ``Problem``s out. No Django.

Each function takes a record's values (a mapping of field name → value, as the services hold them) and the
settings' figures as arguments, and returns the broken rules as :class:`Broken` problems naming the field and
the rule code. The services raise the first one as a ``DomainError``; the importers report them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fazhi.core.problems import Problem, gettext_noop

# Decision types that correct the act (it was unlawful or improper), those that leave it standing, and those
# (mediation, settlement, termination) where the record says whether the act was corrected.
CORRECTING_DECISIONS = frozenset({"revoke", "alter", "confirm_illegal", "order_performance"})
STANDING_DECISIONS = frozenset({"uphold", "dismiss"})
# Decisions the respondent must carry out: the compliance rate counts these.
DECISIONS_TO_PERFORM = CORRECTING_DECISIONS | {"mediation", "settlement"}
# Litigation outcomes that close the case (a judgment or ruling, a withdrawal, a settlement).
PENDING = "pending"


@dataclass(frozen=True)
class Broken(Problem):
    """A broken rule: the message, the field at fault and the rule's code."""

    field: str = ""
    rule: str = ""


def _broken(field: str, rule: str, message: str, **params: Any) -> Broken:
    return Broken(message=message, params=params, field=field, rule=f"disputes.{rule}")


def required_problems(values: Mapping[str, Any], required: Sequence[str]) -> list[Broken]:
    """Each field of ``required`` left empty (None or blank), e.g. by an update that clears it."""
    return [
        _broken(field, "required", gettext_noop("This field is required."))
        for field in required
        if values.get(field) is None or values.get(field) == ""
    ]


def _not_before(values: Mapping[str, Any], later: str, earlier: str, message: str) -> list[Broken]:
    a, b = values.get(later), values.get(earlier)
    if isinstance(a, dt.date) and isinstance(b, dt.date) and a < b:
        return [_broken(later, "dates_order", message, later=a.isoformat(), earlier=b.isoformat())]
    return []


def handler_names(handlers: str) -> list[str]:
    """The handlers' names, split on Chinese or Latin commas, enumeration commas, semicolons or spaces."""
    for separator in "，、;；/":
        handlers = handlers.replace(separator, ",")
    return [name for part in handlers.split(",") for name in part.split() if name]


def reconsideration_due(accepted_on: dt.date, extension_days: int, *, days: int) -> dt.date:
    """The decision is due ``days`` calendar days after acceptance, plus the extension granted."""
    return accepted_on + dt.timedelta(days=days + extension_days)


def reconsideration_problems(values: Mapping[str, Any], *, min_handlers: int, max_extension_days: int) -> list[Broken]:
    problems: list[Broken] = []
    problems += _not_before(
        values,
        "accepted_on",
        "received_on",
        gettext_noop("Accepted on %(later)s, before it was received (%(earlier)s)."),
    )
    count = len(handler_names(values.get("handlers") or ""))
    if count < min_handlers:
        problems.append(
            _broken(
                "handlers",
                "reconsideration_handlers",
                gettext_noop("A reconsideration case needs at least %(min)d handlers; %(count)d named."),
                min=min_handlers,
                count=count,
            )
        )
    extension = values.get("extension_days") or 0
    if extension < 0 or extension > max_extension_days:
        problems.append(
            _broken(
                "extension_days",
                "reconsideration_extension",
                gettext_noop("The decision period may be extended once, by at most %(max)d days; %(days)d asked."),
                max=max_extension_days,
                days=extension,
            )
        )
    problems += _not_before(
        values, "decided_on", "accepted_on", gettext_noop("Decided on %(later)s, before it was accepted (%(earlier)s).")
    )
    decided_on, decision = values.get("decided_on"), values.get("decision") or ""
    if decided_on and not decision:
        problems.append(
            _broken("decision", "reconsideration_decision", gettext_noop("Give the decision type with its date."))
        )
    if decision and not decided_on:
        problems.append(
            _broken("decided_on", "reconsideration_decision", gettext_noop("Give the date of the decision."))
        )
    corrected = values.get("act_corrected")
    if not decision and corrected is not None:
        problems.append(
            _broken(
                "act_corrected",
                "reconsideration_correction",
                gettext_noop("Whether the act was corrected is known only once the case is decided."),
            )
        )
    elif decision in CORRECTING_DECISIONS and corrected is False:
        problems.append(
            _broken(
                "act_corrected",
                "reconsideration_correction",
                gettext_noop("This decision corrects the act: it cannot be recorded as not corrected."),
            )
        )
    elif decision in STANDING_DECISIONS and corrected:
        problems.append(
            _broken(
                "act_corrected",
                "reconsideration_correction",
                gettext_noop("This decision leaves the act standing: it cannot be recorded as corrected."),
            )
        )
    if values.get("complied") is not None and decision not in DECISIONS_TO_PERFORM:
        problems.append(
            _broken(
                "complied",
                "reconsideration_compliance",
                gettext_noop("Compliance is recorded only for a decision the respondent must carry out."),
            )
        )
    return problems


def reconsideration_corrected(decision: str, stated: bool | None) -> bool | None:
    """Whether the act was corrected: fixed by the decision type where it says so, else as stated."""
    if decision in CORRECTING_DECISIONS:
        return True
    if decision in STANDING_DECISIONS:
        return False
    if decision:
        return bool(stated)
    return None


def extension_problems(already: int, days: int, *, max_days: int, rule: str, unit: str) -> list[Broken]:
    """One extension only, of at most ``max_days`` (``unit`` is "days" or "working days" in the message)."""
    if already:
        return [
            _broken(
                "extension_days",
                f"{rule}_extension",
                gettext_noop("The period was already extended once (by %(days)d); a second extension is refused."),
                days=already,
            )
        ]
    if days < 1 or days > max_days:
        message = (
            gettext_noop("An extension is of 1 to %(max)d working days; %(days)d asked.")
            if unit == "working days"
            else gettext_noop("An extension is of 1 to %(max)d days; %(days)d asked.")
        )
        return [_broken("extension_days", f"{rule}_extension", message, max=max_days, days=days)]
    return []


def litigation_problems(values: Mapping[str, Any]) -> list[Broken]:
    problems: list[Broken] = []
    problems += _not_before(
        values, "hearing_on", "filed_on", gettext_noop("Heard on %(later)s, before the case was filed (%(earlier)s).")
    )
    problems += _not_before(
        values, "closed_on", "filed_on", gettext_noop("Judged on %(later)s, before the case was filed (%(earlier)s).")
    )
    if values.get("head_appeared") is not None and not values.get("hearing_on"):
        problems.append(
            _broken(
                "head_appeared",
                "litigation_appearance",
                gettext_noop("Whether the agency head appeared is recorded with the hearing date."),
            )
        )
    outcome = values.get("outcome") or PENDING
    if outcome != PENDING and not values.get("closed_on"):
        problems.append(
            _broken("closed_on", "litigation_outcome", gettext_noop("Give the date of the judgment with the outcome."))
        )
    if outcome == PENDING and values.get("closed_on"):
        problems.append(
            _broken("outcome", "litigation_outcome", gettext_noop("Give the outcome with the date of the judgment."))
        )
    if values.get("complied") is not None and outcome != "lost":
        problems.append(
            _broken(
                "complied",
                "litigation_compliance",
                gettext_noop("Compliance is recorded only for a judgment the agency lost and must carry out."),
            )
        )
    return problems


def mediation_problems(values: Mapping[str, Any]) -> list[Broken]:
    problems: list[Broken] = []
    problems += _not_before(
        values,
        "mediated_on",
        "screened_on",
        gettext_noop("Mediation started on %(later)s, before the dispute was screened (%(earlier)s)."),
    )
    problems += _not_before(
        values,
        "concluded_on",
        "mediated_on",
        gettext_noop("Concluded on %(later)s, before mediation started (%(earlier)s)."),
    )
    outcome, concluded = values.get("outcome") or "", values.get("concluded_on")
    if (outcome or concluded) and not values.get("mediated_on"):
        problems.append(
            _broken(
                "mediated_on",
                "mediation_order",
                gettext_noop(
                    "A dispute is settled or not only after it was mediated: give the date mediation started."
                ),
            )
        )
    if outcome and not concluded:
        problems.append(
            _broken("concluded_on", "mediation_outcome", gettext_noop("Give the date the mediation concluded."))
        )
    if concluded and not outcome:
        problems.append(
            _broken("outcome", "mediation_outcome", gettext_noop("Say whether the mediation settled the dispute."))
        )
    return problems


def disclosure_problems(values: Mapping[str, Any], *, max_extension_days: int) -> list[Broken]:
    problems: list[Broken] = []
    extension = values.get("extension_days") or 0
    if extension < 0 or extension > max_extension_days:
        problems.append(
            _broken(
                "extension_days",
                "disclosure_extension",
                gettext_noop(
                    "The answer period may be extended once, by at most %(max)d working days; %(days)d asked."
                ),
                max=max_extension_days,
                days=extension,
            )
        )
    problems += _not_before(
        values,
        "answered_on",
        "received_on",
        gettext_noop("Answered on %(later)s, before it was received (%(earlier)s)."),
    )
    if values.get("answered_on") and not values.get("reply"):
        problems.append(_broken("reply", "disclosure_reply", gettext_noop("Give the kind of reply with its date.")))
    if values.get("reply") and not values.get("answered_on"):
        problems.append(_broken("answered_on", "disclosure_reply", gettext_noop("Give the date of the reply.")))
    return problems
