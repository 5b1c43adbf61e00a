from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan.models import Commitment
from members.models import Member, Source


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    PUBLISHED = "published", _("Published")


class ReportQuerySet(models.QuerySet):
    def published(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.PUBLISHED)

    def visible_to(self, user) -> ReportQuerySet:
        if user.is_authenticated and user.is_staff:
            return self.all()
        published = Q(status=ReportStatus.PUBLISHED)
        if user.is_authenticated:
            return self.filter(published | Q(member_id__in=user.assignments.values("member_id")))
        return self.filter(published)


class ImplementationReport(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reports", verbose_name=_("member"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(
        _("period as the source states it"), max_length=100, blank=True, help_text=_('e.g. "2017 – September 2020"')
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    feedback = models.TextField(_("feedback from the secretariat"), blank=True)
    snapshot = models.JSONField(_("snapshot of the plan"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "member__name"]
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_end_not_before_start"),
        ]
        indexes = [models.Index(fields=["status", "-published_at"]), models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return str(_("Report of %(member)s, %(period)s") % {"member": self.member, "period": self.period_display})

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def period_display(self) -> str:
        if self.period_label:
            return self.period_label
        return f"{self.period_start:%d.%m.%Y} – {self.period_end:%d.%m.%Y}"


class ReportNarrative(models.Model):
    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="narratives", verbose_name=_("report"))
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="+", verbose_name=_("commitment"))
    text = models.TextField(_("narrative"), blank=True)

    class Meta:
        ordering = ["commitment__number"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [models.UniqueConstraint(fields=["report", "commitment"], name="narrative_unique_per_commitment")]

    def __str__(self) -> str:
        return f"{self.report} – {self.commitment.number}"


def document_upload_to(instance: ReportDocument, filename: str) -> str:
    return f"reports/{instance.report_id}/{instance.language}-{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class ReportDocument(models.Model):
    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="documents", verbose_name=_("report"))
    language = models.CharField(_("language"), max_length=8, help_text=_("ISO 639-1 code, e.g. de or en"))
    title = models.CharField(_("title"), max_length=300)
    # Blank when the source names a document but none is held (Dresden's seeded report).
    file = models.FileField(_("file (PDF)"), upload_to=document_upload_to, blank=True, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["language", "title"]
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ReportTransition(models.Model):
    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("report"))
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"


class ReminderKind(models.TextChoices):
    DAYS_60 = "60", _("60 days before")
    DAYS_14 = "14", _("14 days before")
    DUE = "due", _("on the due date")
    OVERDUE = "overdue", _("overdue")


class ReportReminder(models.Model):
    """One reminder e-mail round for a member; the unique key makes reruns send nothing twice."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="report_reminders", verbose_name=_("member"))
    due_on = models.DateField(_("due on"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sequence = models.PositiveSmallIntegerField(_("overdue round"), default=0)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["member", "due_on", "kind", "sequence"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.due_on} ({self.get_kind_display()})"
