from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.orgs import lockout, rules

# Each organisation's path is its ancestors' paths followed by its own id, zero-padded to this
# many digits: a subtree is then one range scan on the path index (see ``subtree_q``).
PATH_STEP = 9


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / subdistrict")
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    DEPARTMENT = "department", _("Department")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other unit")


class OrgLevel(models.IntegerChoices):
    PROVINCE = rules.PROVINCE, _("Province level")
    CITY = rules.CITY, _("City level")
    COUNTY = rules.COUNTY, _("County level")
    TOWNSHIP = rules.TOWNSHIP, _("Township level")
    VILLAGE = rules.VILLAGE, _("Village level")


def path_segment(pk: int) -> str:
    return str(pk).zfill(PATH_STEP)


def subtree_q(path: str, field: str = "path") -> models.Q:
    """Rows whose ``field`` lies in the subtree rooted at ``path`` (the root included).

    Paths are digits only, so the subtree is the half-open range [path, path + 1): a plain
    B-tree range scan on SQLite and on PostgreSQL under any collation.
    """
    upper = str(int(path) + 1).zfill(len(path))
    if len(upper) > len(path):  # all nines: no string of that length is above it
        return models.Q(**{f"{field}__startswith": path})
    return models.Q(**{f"{field}__gte": path, f"{field}__lt": upper})


class Org(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=OrgLevel.choices)
    code = models.CharField(
        _("code"),
        max_length=18,
        unique=True,
        help_text=_("Administrative division code for areas; unified social credit code for units."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Null only between the INSERT that gives the row its id and the UPDATE that sets its path.
    path = models.CharField(max_length=255, unique=True, null=True, editable=False)  # noqa: DJ001
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["parent", "name"], name="org_children"),
            models.Index(fields=["name"], name="org_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_area(self) -> bool:
        return rules.is_area(self.kind)

    def subtree(self) -> models.Q:
        return subtree_q(self.path)

    def ancestor_paths(self) -> list[str]:
        """Paths of this organisation and every organisation above it, from the root down."""
        return [self.path[: i + PATH_STEP] for i in range(0, len(self.path), PATH_STEP)]


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_locked(self) -> bool:
        """Locked out after too many wrong passwords, and the lock has not run out yet."""
        from django.utils import timezone

        return lockout.is_locked(self.locked_until, timezone.now())

    @property
    def org(self) -> "Org | None":
        """The user's home organisation: the highest one where they hold a role (one query).

        The audit log files events about a user (sign-ins, password changes) under it, so the
        administrators of that subtree can read them.
        """
        membership = self.memberships.select_related("org").order_by("org__path").first()
        return membership.org if membership else None


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    CLERK = "clerk", _("Clerk")
    RECOMMENDER = "recommender", _("Recommender")
    REVIEWER = "reviewer", _("Reviewer")
    LEADER = "leader", _("Leader")


class Membership(models.Model):
    """A user's role over an organisation and everything beneath it."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey(Org, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.org} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A key a program sends as ``Authorization: Bearer <key>`` to act as ``user`` through the API.

    Only the key's first characters (to find the row) and its SHA-256 are stored, never the key:
    the key is random (40 bytes), so a plain hash is enough. A revoked token is kept for the record.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
