from django.shortcuts import render

from fazhi.orgs.account_selectors import memberships_of_user


def home(request):
    """The start page: the signed-in user's roles, or a welcome for the public."""
    return render(request, "orgs/home.html", {"memberships": memberships_of_user(request.user)})
