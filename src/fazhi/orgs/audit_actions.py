"""Labels of the audit actions the orgs app writes (registered in ``OrgsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "orgs.org.created": _("Organisation created"),
    "orgs.org.updated": _("Organisation edited"),
    "orgs.org.moved": _("Organisation moved"),
    "orgs.org.deactivated": _("Organisation deactivated"),
    "orgs.org.reactivated": _("Organisation reactivated"),
    "orgs.user.created": _("Account created"),
    "orgs.user.superuser_granted": _("Superuser rights granted"),
    "orgs.membership.added": _("Role granted"),
    "orgs.membership.removed": _("Role removed"),
    "orgs.api_token.created": _("API token created"),
    "orgs.api_token.revoked": _("API token revoked"),
    "auth.login.succeeded": _("Signed in"),
    "auth.login.failed": _("Sign-in failed"),
    "auth.login.locked": _("Account locked after failed sign-ins"),
    "auth.login.unlocked": _("Account unlocked"),
    "auth.password.changed": _("Password changed"),
    "demo.province.generated": _("Province-scale demo data generated"),
}
