from fazhi.campaigns.models import PoolMember
from fazhi.indicators.context_processors import navigation as indicators_navigation
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability

# Holding one of these anywhere brings a user to campaigns (administrators and leaders, clerks, recommenders,
# reviewers); anyone else sees the link only when they sit in a campaign's pool.
CAMPAIGN_CAPABILITIES = (
    roles.CAMPAIGN_VIEW,
    roles.APPLICATION_EDIT,
    roles.APPLICATION_RECOMMEND,
    roles.REVIEW_SCORE,
)


def navigation(request):
    """The sections of the navigation (organisations, standards), plus creation campaigns. The grants are
    read once per request already; a pool lookup is the one extra query, for users with none of the roles."""
    context = indicators_navigation(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        show = any(has_any_capability(user, capability) for capability in CAMPAIGN_CAPABILITIES)
        if not show:
            show = PoolMember.objects.filter(user=user).exists()
        context["nav"] = {
            **context["nav"],
            "campaigns": show,
            # The clerk's workspace and the recommender's queue (applications area).
            "applications": has_any_capability(user, roles.APPLICATION_EDIT),
            "recommendations": has_any_capability(user, roles.APPLICATION_RECOMMEND),
            # The reviewer's own queue of score sheets (review area).
            "reviews": has_any_capability(user, roles.REVIEW_SCORE),
            # The ledgers' index (/ledgers/): everyone who may read ledgers.
            "ledgers": has_any_capability(user, roles.LEDGER_VIEW),
        }
    return context
