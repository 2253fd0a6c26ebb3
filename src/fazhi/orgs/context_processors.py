from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability


def navigation(request):
    """Which sections of the navigation the signed-in user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "orgs": has_any_capability(user, roles.ORG_VIEW),
            "memberships": has_any_capability(user, roles.MEMBERSHIP_MANAGE),
            "audit": has_any_capability(user, roles.AUDIT_VIEW),
        }
    }
