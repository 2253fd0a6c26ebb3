"""``fazhi api_token``: keys for programs that call the JSON API (``Authorization: Bearer <key>``).

fazhi api_token create USERNAME NAME    prints the key once; it is never stored
fazhi api_token revoke ID               refuses the token from now on
fazhi api_token list [USERNAME]         id, user, name, key prefix, created, last used, revoked
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fazhi.core.errors import DomainError
from fazhi.orgs.models import ApiToken, User
from fazhi.orgs.tokens import api_token_create, api_token_revoke, api_tokens_all


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "Create, revoke and list API tokens (keys for programs calling /api/v1/)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke,list}")
        create = actions.add_parser("create", help="a new token for a user; prints its key once")
        create.add_argument("username")
        create.add_argument("name", help="what the token is for, e.g. the program's name")
        revoke = actions.add_parser("revoke", help="refuse a token from now on")
        revoke.add_argument("token_id", type=int, help="the id shown by `list`")
        listing = actions.add_parser("list", help="every token (revoked ones included)")
        listing.add_argument("username", nargs="?", help="only this user's tokens")

    def handle(self, *, action: str, **options):
        {"create": self.do_create, "revoke": self.do_revoke, "list": self.do_list}[action](**options)

    def do_create(self, *, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user %(username)s.") % {"username": username}, returncode=1)
        try:
            token, key = api_token_create(actor=None, user=user, name=name)
        except DomainError as error:
            raise CommandError(error.message, returncode=1) from None
        self.stderr.write(
            _("Token %(id)d created for %(username)s. The key is shown only now:")
            % {"id": token.pk, "username": username}
        )
        self.stdout.write(key)

    def do_revoke(self, *, token_id: int, **options):
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(_("No token %(id)d.") % {"id": token_id}, returncode=1)
        try:
            api_token_revoke(actor=None, token=token)
        except DomainError as error:
            raise CommandError(error.message, returncode=1) from None
        self.stdout.write(_("Token %(id)d revoked.") % {"id": token_id})

    def do_list(self, *, username: str | None = None, **options):
        tokens = api_tokens_all()
        if username:
            tokens = tokens.filter(user__username=username)
        for t in tokens:
            state = _("revoked %(when)s") % {"when": _when(t.revoked_at)} if t.revoked_at else _("active")
            self.stdout.write(
                f"{t.pk}\t{t.user.username}\t{t.name}\t{t.prefix}…\t{_when(t.created_at)}\t{_when(t.last_used_at)}\t{state}"
            )
