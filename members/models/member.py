from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import BoundedTextField
from core.countries import country_choices
from core.i18n import LANGUAGE_CHOICES, in_language
from core.versioning import VersionedModel


class User(AbstractUser):
    # Reminders and notifications go out in this language.
    language = models.CharField(_("language"), max_length=8, default="de", choices=LANGUAGE_CHOICES)
    # Moving this on ends every session of the account but the one that moved it (see _get_session_auth_hash).
    session_epoch = models.PositiveIntegerField(_("session generation"), default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("reset_second_factor", _("Can reset a coordinator's second factor")),
            ("lift_login_pause", _("Can lift a coordinator's login pause")),
            ("resend_invitation", _("Can send an invitation again")),
        ]

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django compares this hash, stored in the session, with the account's on every request, on every app
        # server: a session made before the epoch moved on no longer matches and is logged out. Epoch 0 keeps
        # Django's own hash, so sessions made before this field existed stay valid.
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "members.User.session_epoch", f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class Source(models.Model):
    """A public document that a seeded fact comes from."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), blank=True)
    note = BoundedTextField(_("note"), blank=True, max_length=5000)

    class Meta:
        ordering = ["publisher", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def format_partial_date(value: dt.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


class MemberKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District (Kreis)")
    AMT = "amt", _("Amt")
    JOINT = "joint", _("Joint membership")


# The secretariat's power to act as lead coordinator of every member: a Django permission, not `is_staff`.
COORDINATE_EVERY_MEMBER = "members.coordinate_every_member"
CHANGE_MEMBER_STATUS = "members.change_member_status"


class MemberStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    MEMBER = "member", _("Member")
    ON_HOLD = "on_hold", _("On hold")
    SUSPENDED = "suspended", _("Suspended")
    FORMER = "former", _("Former member")
    DECLINED = "declined", _("Application declined")


# An applicant's data is never public, nor is a declined applicant's.
PUBLIC_MEMBER_STATUSES = (MemberStatus.MEMBER, MemberStatus.ON_HOLD, MemberStatus.SUSPENDED, MemberStatus.FORMER)


def public_member_q(path: str = "") -> Q:
    """The one definition of a public member; `path` leads from another model to it, e.g. "plan__member__"."""
    return Q(**{f"{path}status__in": PUBLIC_MEMBER_STATUSES})


def visible_q(user, *, public: Q, member_path: str) -> Q:
    """What of a member's data `user` may see: everything for the secretariat; the public part plus everything of
    the members they coordinate for a coordinator; the public part for everyone else (staff without the
    secretariat's permission included)."""
    if user.is_authenticated and user.is_staff and user.has_perm(COORDINATE_EVERY_MEMBER):
        return Q()
    if user.is_authenticated:
        assigned = CoordinatorAssignment.objects.filter(user=user).values("member_id")
        return public | Q(**{f"{member_path}__in": assigned})
    return public


class MemberQuerySet(models.QuerySet):
    def public(self) -> MemberQuerySet:
        return self.filter(public_member_q())

    def visible_to(self, user) -> MemberQuerySet:
        return self.filter(visible_q(user, public=public_member_q(), member_path="pk"))


class Member(VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MemberKind.choices)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Set when the member's coordinators state the fact themselves; empty means it comes from `source`.
    population_stated_on = models.DateField(_("population stated by the member on"), null=True, blank=True)
    website_stated_on = models.DateField(_("website stated by the member on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.MEMBER)
    council_resolution_on = models.DateField(_("council resolution"), null=True, blank=True)
    admitted_on = models.DateField(_("admitted"), null=True, blank=True)
    admitted_precision = models.CharField(
        _("precision of the admission date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    left_on = models.DateField(_("left"), null=True, blank=True)
    # The effective date of the last status change, for "on hold since March 2027".
    status_since = models.DateField(_("status since"), null=True, blank=True)
    admission_note = models.CharField(
        _("how the membership came about"), max_length=300, blank=True, help_text=_('e.g. "by city council resolution"')
    )
    lead_department = models.CharField(_("lead department"), max_length=200, blank=True)
    description = BoundedTextField(_("description"), blank=True, max_length=5000)
    content_language = models.CharField(_("language of the description"), max_length=8, default="de")
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])
    objects = MemberQuerySet.as_manager()
    # Written only by the lifecycle steps (members/models/lifecycle.py), each recording a transition: a history
    # restore in the admin leaves them as they stand (core/admin.py).
    lifecycle_fields = ("status", "status_since", "admitted_on", "admitted_precision", "left_on")

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(admitted_on__isnull=True) | Q(left_on__gte=models.F("admitted_on")),
                name="member_left_after_admitted",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "status"]),
            models.Index(fields=["kind"]),
            # The public lists at 10,000 members: the directory and the good-practice library sort by name (the
            # library walks members in name order and stops after a page); the directory's filter choices read
            # regions and years from these alone.
            models.Index(fields=["name"], condition=public_member_q(), name="member_public_name"),
            models.Index(fields=["region"], condition=public_member_q(), name="member_public_region"),
            models.Index(fields=["admitted_on"], condition=public_member_q(), name="member_public_admitted"),
            # Similar members (members/similar.py) read one population band of one kind: at 10,000 members a
            # third of the time of the sequential scan it replaces.
            models.Index(fields=["kind", "population"], condition=public_member_q(), name="member_public_kind_population"),
        ]
        permissions = [
            ("coordinate_every_member", _("Can act as lead coordinator of every member")),
            ("change_member_status", _("Can admit members and change their membership status")),
        ]

    def __str__(self) -> str:
        return self.name

    # --- Lifecycle ------------------------------------------------------------------------------
    # Each step is in members/models/lifecycle.py: it locks the row, checks the transition is allowed,
    # saves through the versioning path and records who, when, the effective date and why.

    def admit(self, *, by, on: dt.date, reason: str = ""):
        from members.models.lifecycle import change_status

        return change_status(self, MemberStatus.MEMBER, by=by, on=on, reason=reason, admission=True)

    def decline(self, *, by, on: dt.date, reason: str):
        from members.models.lifecycle import change_status

        return change_status(self, MemberStatus.DECLINED, by=by, on=on, reason=reason)

    def put_on_hold(self, *, by, on: dt.date, reason: str):
        from members.models.lifecycle import change_status

        return change_status(self, MemberStatus.ON_HOLD, by=by, on=on, reason=reason)

    def suspend(self, *, by, on: dt.date, reason: str):
        from members.models.lifecycle import change_status

        return change_status(self, MemberStatus.SUSPENDED, by=by, on=on, reason=reason)

    def end_membership(self, *, by, on: dt.date, reason: str):
        from members.models.lifecycle import change_status

        return change_status(self, MemberStatus.FORMER, by=by, on=on, reason=reason)

    def reinstate(self, *, by, on: dt.date, reason: str):
        """Back to full membership from on hold, suspended, or former (rejoining)."""
        from members.models.lifecycle import change_status

        return change_status(self, MemberStatus.MEMBER, by=by, on=on, reason=reason)

    def change_status(self, to_status: str, *, by, on: dt.date, reason: str):
        """The step that leads to `to_status`, for forms and bulk actions that let staff choose the status."""
        from members.models.lifecycle import change_status

        return change_status(self, to_status, by=by, on=on, reason=reason, admission=self.status == MemberStatus.APPLICANT)

    @property
    def status_display_since(self) -> str:
        """The public status line, e.g. "Former member since March 2027"; empty for a plain member."""
        from members.models.lifecycle import status_since_text

        return status_since_text(self)

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.slug])

    @property
    def admitted_display(self) -> str:
        return format_partial_date(self.admitted_on, self.admitted_precision)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_MEMBER_STATUSES

    def description_in_other_language(self) -> bool:
        return bool(self.description) and (get_language() or "de")[:2] != self.content_language


class Authority(models.Model):
    """A local authority that a (possibly joint) membership is made of."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District (Kreis)")
        AMT = "amt", _("Amt")
        MUNICIPALITY = "municipality", _("Municipality")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="authorities", verbose_name=_("member"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["member", "position", "name"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        constraints = [models.UniqueConstraint(fields=["member", "name"], name="authority_unique_per_member")]

    def __str__(self) -> str:
        return self.name


class ContactConsent(models.TextChoices):
    NONE = "none", _("No consent recorded")
    GIVEN = "given", _("Consent given")
    PUBLISHED_BY_MEMBER = "public_source", _("The member publishes this contact itself (see source)")


class ContactQuerySet(models.QuerySet):
    def published(self) -> ContactQuerySet:
        return self.filter(publish=True).exclude(consent=ContactConsent.NONE)


class Contact(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("member"))
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    publish = models.BooleanField(_("publish on the portal"), default=False)
    consent = models.CharField(
        _("consent to publish"),
        max_length=20,
        choices=ContactConsent.choices,
        default=ContactConsent.NONE,
        help_text=_("A contact is published only with recorded consent, or when the member itself publishes it."),
    )
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["member", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(publish=False) | ~Q(consent=ContactConsent.NONE), name="contact_published_needs_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.member})"


class CoordinatorRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
    LEAD = "lead", _("Lead coordinator")


class CoordinatorAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("member"))
    role = models.CharField(_("role"), max_length=10, choices=CoordinatorRole.choices, default=CoordinatorRole.EDITOR)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Who was given (or lost) access to a member, by whom and when: an audit trail for the secretariat.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["member", "user"]
        verbose_name = _("coordinator assignment")
        verbose_name_plural = _("coordinator assignments")
        constraints = [models.UniqueConstraint(fields=["user", "member"], name="assignment_unique_user_member")]

    def __str__(self) -> str:
        return f"{self.user} – {self.member} ({self.get_role_display()})"

    @property
    def is_lead(self) -> bool:
        return self.role == CoordinatorRole.LEAD


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    description = BoundedTextField(_("description"), blank=True, max_length=5000)
    website = models.URLField(_("website"), blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="network_memberships", verbose_name=_("member"))
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network"))
    since_year = models.PositiveSmallIntegerField(_("member since"), null=True, blank=True)
    lead_department = models.CharField(_("lead department"), max_length=200, blank=True)
    note = BoundedTextField(_("note"), blank=True, max_length=5000)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        ordering = ["network__name"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [models.UniqueConstraint(fields=["member", "network"], name="network_membership_unique")]

    def __str__(self) -> str:
        return f"{self.member} – {self.network}"


class WorkingGroup(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = BoundedTextField(_("description"), blank=True, max_length=5000)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    initiated_by = models.ManyToManyField(
        Member, blank=True, related_name="initiated_working_groups", verbose_name=_("initiated by")
    )
    participants = models.ManyToManyField(
        Member, blank=True, through="WorkingGroupParticipation", related_name="working_groups", verbose_name=_("participants")
    )
    participants_note = models.CharField(
        _("note on participation"), max_length=300, blank=True, help_text=_("What the source says about participation.")
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        ordering = ["name_de"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_de, self.name_en)


class WorkingGroupParticipation(models.Model):
    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, verbose_name=_("working group"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, verbose_name=_("member"))
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("working group participant")
        verbose_name_plural = _("working group participants")
        constraints = [models.UniqueConstraint(fields=["working_group", "member"], name="working_group_member_unique")]

    def __str__(self) -> str:
        return f"{self.member} – {self.working_group}"


class SitePageKey(models.TextChoices):
    PRIVACY = "privacy", _("Privacy policy")
    IMPRINT = "imprint", _("Imprint")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


class SitePage(models.Model):
    """A legal page (privacy, imprint, accessibility statement) whose text the secretariat edits in the admin."""

    key = models.CharField(_("page"), max_length=20, choices=SitePageKey.choices, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_de = BoundedTextField(_("text (German)"), help_text=_("Plain text; blank lines separate paragraphs, addresses become links."), max_length=50000)
    body_en = BoundedTextField(_("text (English)"), help_text=_("Plain text; blank lines separate paragraphs, addresses become links."), max_length=50000)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def title(self) -> str:
        return in_language(self.title_de, self.title_en)

    @property
    def body(self) -> str:
        return in_language(self.body_de, self.body_en)

    @property
    def paragraphs(self) -> list[tuple[str, bool]]:
        """(text, is_placeholder) for each paragraph of the body in the page's language."""
        from members.site_page_defaults import is_placeholder

        parts = [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        return [(p, is_placeholder(p)) for p in parts]

    @property
    def holds_placeholder(self) -> bool:
        from members.site_page_defaults import is_placeholder

        return any(is_placeholder(p) for p in (self.body_de + "\n\n" + self.body_en).split("\n\n"))
