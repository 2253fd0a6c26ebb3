"""What every campaigns service shares: the state and stage checks, worded for people.

A service calls :func:`check_transition` first (inside its transaction, on a row it locked with
:func:`locked`), and raises nothing else for a state or stage problem, so that every refusal of "not
now" reads the same on the pages, in the API (``rule`` ``campaigns.wrong_state`` /
``campaigns.wrong_stage``) and on the command line.

Who manages a campaign (``campaign.manage`` over its organiser) is checked by :func:`require_manager` (a
refusal saying so: configuration, stages, pool) or :func:`deny_unless_manager` (a 403: the review's
administrator actions); ``actor=None`` is the system and passes both.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.campaigns import workflow
from fazhi.campaigns.access import can_manage
from fazhi.campaigns.models import Application, ApplicationState, Campaign, Stage
from fazhi.core.errors import DomainError
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability

# How each action of the application workflow is named in a refusal ("… cannot be <verb> now").
ACTION_VERBS = {
    "submit": gettext_lazy("submitted"),
    "return": gettext_lazy("returned"),
    "recommend": gettext_lazy("recommended"),
    "not_recommend": gettext_lazy("turned down"),
    "assign": gettext_lazy("assigned to reviewers"),
    "score": gettext_lazy("scored"),
    "reopen": gettext_lazy("reopened for scoring"),
    "decide": gettext_lazy("given a result"),
    "notice": gettext_lazy("put on public notice"),
    "remove": gettext_lazy("removed"),
    "name": gettext_lazy("named"),
}


def locked(model: type[models.Model], pk) -> models.Model:
    """The row, locked for the rest of the transaction (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
    ``BEGIN IMMEDIATE`` already holds the write lock)."""
    return model.objects.select_for_update().get(pk=pk)


def check_transition(*, application: Application, action: str, campaign: Campaign | None = None) -> str | None:
    """The state ``action`` moves ``application`` to; a :class:`DomainError` naming the current state or
    stage when the action is not allowed now."""
    campaign = campaign or application.campaign
    try:
        return workflow.check(action, state=application.state, stage=campaign.stage)
    except workflow.TransitionRefused as refused:
        verb = ACTION_VERBS[action]
        if refused.reason == "state":
            raise DomainError(
                _("%(org)s's application is %(state)s: it cannot be %(verb)s now.")
                % {"org": application.org, "state": ApplicationState(application.state).label, "verb": verb},
                rule="campaigns.wrong_state",
            ) from None
        raise DomainError(
            _("The campaign is in the %(stage)s stage: an application cannot be %(verb)s now.")
            % {"stage": Stage(campaign.stage).label, "verb": verb},
            rule="campaigns.wrong_stage",
        ) from None


def require_stage(campaign: Campaign, *stages: str, doing: str) -> None:
    """Refuse ``doing`` (a sentence fragment already translated, e.g. "scoring") outside ``stages``."""
    if campaign.stage not in stages:
        raise DomainError(
            _("The campaign is in the %(stage)s stage: %(doing)s is not possible now.")
            % {"stage": Stage(campaign.stage).label, "doing": doing},
            rule="campaigns.wrong_stage",
        )


def require_manager(actor, campaign_or_org) -> None:
    """Refuse (``campaigns.not_manager``) unless ``actor`` manages the campaign's organiser (or this org)."""
    if actor is None:
        return
    organiser = campaign_or_org.organiser if isinstance(campaign_or_org, Campaign) else campaign_or_org
    if not has_capability(actor, roles.CAMPAIGN_MANAGE, organiser):
        raise DomainError(
            _("Only an administrator of %(org)s may manage its campaigns.") % {"org": organiser},
            rule="campaigns.not_manager",
            field="organiser",
        )


def deny_unless_manager(actor, campaign: Campaign) -> None:
    """:class:`~django.core.exceptions.PermissionDenied` unless ``actor`` manages the campaign."""
    if actor is not None and not can_manage(actor, campaign):
        raise PermissionDenied
