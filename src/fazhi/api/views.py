"""The page where a signed-in user makes and revokes their own API keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.api.forms import TokenForm
from fazhi.core.errors import DomainError
from fazhi.orgs.tokens import api_token_create, api_token_get_for_user, api_token_revoke, api_tokens_of


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = api_token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            form = TokenForm()
    return render(request, "api/tokens.html", {"form": form, "key": key, "tokens": api_tokens_of(request.user)})


@login_required
@require_POST
def api_token_revoke_view(request, token_pk: int):
    token = api_token_get_for_user(request.user, token_pk)
    try:
        api_token_revoke(actor=request.user, token=token)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The key “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
