from fazhi.orgs.context_processors import navigation as orgs_navigation


def navigation(request):
    """The organisation sections of the navigation, plus scoring standards: every signed-in user may
    read the published ones."""
    context = orgs_navigation(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav"] = {**context["nav"], "standards": True}
    return context
