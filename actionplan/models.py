from __future__ import annotations

import operator
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import BoundedTextField
from core.dates import validate_plausible_date
from core.i18n import in_language, of_name
from actionplan.indicators import latest_value, progress_share
from core.versioning import VersionedModel, save_versioned
from members.models import Member, Source, public_member_q


class Commitment(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_de = BoundedTextField(_("summary (German)"), blank=True, max_length=5000)
    summary_en = BoundedTextField(_("summary (English)"), blank=True, max_length=5000)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=10), name="commitment_number_1_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("actionplan:commitment", args=[self.number])

    @property
    def title(self) -> str:
        return in_language(self.title_de, self.title_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_de, self.summary_en)


def resolution_upload_to(instance: ActionPlan, filename: str) -> str:
    # The stored name never uses the uploader's file name.
    return f"plans/{instance.member_id}/resolution-{timezone.now():%Y%m%d%H%M%S}.pdf"


class ActionPlan(VersionedModel):
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="plan", verbose_name=_("member"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, validators=[validate_plausible_date])
    adopting_body = models.CharField(_("adopting body"), max_length=300, blank=True, help_text=_('e.g. "Stadtrat"'))
    adoption_note = BoundedTextField(_("note on the adoption"), blank=True, max_length=2000)
    resolution_document = models.FileField(
        _("council resolution (PDF)"), upload_to=resolution_upload_to, blank=True, max_length=255
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return str(_("Action plan %(of_name)s") % {"of_name": of_name(self.member.name)})


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    CONTINUOUS = "continuous", _("Continuous")
    DISCONTINUED = "discontinued", _("Discontinued")


def public_measure_q() -> Q:
    return Q(is_public=True, retired_at__isnull=True) & public_member_q("plan__member__")


class MeasureQuerySet(models.QuerySet):
    def active(self) -> MeasureQuerySet:
        return self.filter(retired_at__isnull=True)

    def public(self) -> MeasureQuerySet:
        return self.filter(public_measure_q())


class Retirable:
    """Taken out of the plan without being erased (`retired_at`, `retired_by`); the history keeps every state."""

    # Written only by retire() and restore(): a history restore in the admin leaves them (core/admin.py).
    lifecycle_fields = ("retired_at", "retired_by")

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def retire(self, *, by) -> None:
        self._set_retired(retired_at=timezone.now(), by=by)

    def restore(self, *, by=None) -> None:
        """Staff undo a retirement (admin action)."""
        self._set_retired(retired_at=None, by=by)

    def _set_retired(self, *, retired_at, by) -> None:
        # Under the row lock, and only these fields: whatever else someone saved meanwhile stays as they saved it,
        # and the version moves on so that a form opened before is told.
        with transaction.atomic():
            locked = type(self)._default_manager.select_for_update().get(pk=self.pk)
            if (locked.retired_at is None) == (retired_at is None):
                return
            locked.retired_at = retired_at
            locked.retired_by = by if retired_at else None
            save_versioned(locked, expected_version=locked.version, by=by, update_fields=["retired_at", "retired_by"])
        self.retired_at, self.retired_by, self.version = locked.retired_at, locked.retired_by, locked.version


class Measure(Retirable, VersionedModel):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("action plan"))
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="measures", verbose_name=_("commitment")
    )
    title = models.CharField(_("title"), max_length=300)
    description = BoundedTextField(_("description"), blank=True, max_length=5000)
    responsible_unit = models.CharField(_("responsible unit"), max_length=300, blank=True)
    partners = BoundedTextField(_("partners (civil society)"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    # Null means "not stated": a seeded measure whose source gives no figure.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True, validators=[validate_plausible_date])
    end_date = models.DateField(_("end"), null=True, blank=True, validators=[validate_plausible_date])
    # Publishing is an explicit choice: a half-written measure stays internal until the coordinator ticks it.
    is_public = models.BooleanField(_("public"), default=False)
    content_language = models.CharField(_("language"), max_length=8, default="de")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("retired by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["commitment__number", "title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="measure_progress_0_100"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="measure_end_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["plan", "commitment"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Its public page (portal/measure_page.py); needs plan.member, so select it where many are linked.
        return reverse("members:measure", args=[self.plan.member.slug, self.pk])


class MeasureUpdateQuerySet(models.QuerySet):
    def up_to_today(self) -> MeasureUpdateQuerySet:
        # What readers see: never an entry dated in the future, even one stored before dates were checked.
        return self.filter(date__lte=timezone.localdate())


class MeasureUpdate(VersionedModel):
    """A dated entry on a measure's timeline; its author, the lead and the secretariat may correct or remove it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates", verbose_name=_("measure"))
    date = models.DateField(_("date"), default=timezone.localdate, validators=[validate_plausible_date])
    text = BoundedTextField(_("text"), max_length=5000)
    status_change = models.CharField(_("new status"), max_length=20, choices=MeasureStatus.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MeasureUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["measure", "-date"])]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"


class PlanImport(models.Model):
    """A checked spreadsheet waiting for the coordinator's confirmation, and afterwards the record of its import.

    The rows are kept here as checked, so confirming needs no second upload; `content_hash` recognises a file
    that was imported before.
    """

    class Kind(models.TextChoices):
        MEASURES = "measures", _("measures")
        INDICATOR_VALUES = "indicator_values", _("indicator values")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="plan_imports", verbose_name=_("member"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEASURES)
    file_name = models.CharField(_("file name"), max_length=255)
    content_hash = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows = models.JSONField(_("rows"), default=list)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("imported by")
    )
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    updated_count = models.PositiveIntegerField(_("measures updated"), default=0)
    # Rows not applied at the confirmation because their measure changed in the portal after the preview.
    conflict_count = models.PositiveIntegerField(_("rows in conflict at the import"), default=0)
    # The file's headings that name no column ({"heading", "suggestion"}): the preview lists them, their cells are
    # not imported.
    ignored_columns = models.JSONField(_("columns not imported"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        indexes = [models.Index(fields=["member", "content_hash"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.member})"

    @property
    def rows_to_create(self) -> list[dict]:
        return [row for row in self.rows if not row.get("skip")]


COMMITMENT_NUMBERS = range(1, 11)


def _covered_expression():
    covered = [Cast(GreaterThan(F(f"c{n}"), 0), models.IntegerField()) for n in COMMITMENT_NUMBERS]
    return reduce(operator.add, covered)


class PlanFigures(models.Model):
    """The public-by-measure figures of one plan: measures that are public and not retired, counted by status and
    by commitment number.

    Kept by PostgreSQL statement-level triggers on actionplan_measure (actionplan/migrations/0009_plan_figures.py),
    so every write path (portal, admin, imports, bulk_create, queryset.update, raw SQL) keeps it right; a plan
    without such measures has no row. Whether the member itself is public is not part of it: readers filter by
    `public_member_q("plan__member__")`, so that rule keeps its one definition.
    """

    plan = models.OneToOneField(
        ActionPlan, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="figures"
    )
    planned = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)
    implemented = models.IntegerField(default=0)
    continuous = models.IntegerField(default=0)
    discontinued = models.IntegerField(default=0)
    c1 = models.IntegerField(default=0)
    c2 = models.IntegerField(default=0)
    c3 = models.IntegerField(default=0)
    c4 = models.IntegerField(default=0)
    c5 = models.IntegerField(default=0)
    c6 = models.IntegerField(default=0)
    c7 = models.IntegerField(default=0)
    c8 = models.IntegerField(default=0)
    c9 = models.IntegerField(default=0)
    c10 = models.IntegerField(default=0)
    # Every measure has exactly one commitment numbered 1-10 (a check constraint), so these add up to all of them.
    measures = models.GeneratedField(
        expression=reduce(operator.add, [F(f"c{n}") for n in COMMITMENT_NUMBERS]),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    commitments_covered = models.GeneratedField(
        expression=_covered_expression(), output_field=models.IntegerField(), db_persist=True
    )

    class Meta:
        managed = True
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.measures}"

    def by_status(self) -> dict[str, int]:
        return {value: getattr(self, value) for value in MeasureStatus.values}


def public_indicator_q() -> Q:
    # A measure's indicator is public only while its measure is: hiding a measure hides what measures it.
    return (
        Q(is_public=True, retired_at__isnull=True)
        & (Q(measure__isnull=True) | Q(measure__is_public=True, measure__retired_at__isnull=True))
        & public_member_q("plan__member__")
    )


class IndicatorQuerySet(models.QuerySet):
    def active(self) -> IndicatorQuerySet:
        return self.filter(retired_at__isnull=True)

    def public(self) -> IndicatorQuerySet:
        return self.filter(public_indicator_q())


class Indicator(Retirable, VersionedModel):
    """A figure a member measures over time toward a target, attached to a commitment of its plan or to a measure.

    `commitment` is always set; for a measure's indicator it is the measure's commitment, so that both kinds are
    found per commitment with one filter.
    """

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("action plan"))
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("commitment")
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("measure")
    )
    name = models.CharField(_("name"), max_length=300, help_text=_('e.g. "Counselling cases per year"'))
    description = BoundedTextField(_("how it is measured"), blank=True, max_length=2000)
    unit = models.CharField(_("unit"), max_length=60, help_text=_('e.g. "cases", "people", "%"'))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"), validators=[validate_plausible_date])
    # A target is optional, but a target value always comes with the date it is meant for.
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True, validators=[validate_plausible_date])
    is_public = models.BooleanField(_("public"), default=False)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("retired by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "created_at"])
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["commitment__number", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__isnull=True, target_date__isnull=True)
                | Q(target_value__isnull=False, target_date__isnull=False),
                name="indicator_target_value_and_date_together",
            ),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True) | Q(target_date__gt=F("baseline_date")),
                name="indicator_target_after_baseline",
            ),
        ]
        indexes = [models.Index(fields=["plan", "commitment"])]

    def __str__(self) -> str:
        return self.name

    @property
    def has_target(self) -> bool:
        return self.target_value is not None

    def clean(self) -> None:
        errors = {}
        if self.target_value is not None and self.target_date is None:
            errors["target_date"] = _("A target needs the date by which it is to be reached.")
        if self.target_date is not None and self.target_value is None:
            errors["target_value"] = _("Enter the target value for this date, or leave the date empty.")
        if self.target_date and self.baseline_date and self.target_date <= self.baseline_date:
            errors["target_date"] = _("The target date must be after the baseline date.")
        if self.measure_id and self.plan_id and self.measure.plan_id != self.plan_id:
            errors["measure"] = _("This measure belongs to another action plan.")
        if self.measure_id and self.commitment_id != self.measure.commitment_id:
            # A measure's indicator is filed under the measure's commitment.
            self.commitment_id = self.measure.commitment_id
        if errors:
            raise ValidationError(errors)

    def progress_share(self, values=None):
        """The share of the way from baseline to target (actionplan/indicators.py), from `values` or the
        indicator's own (prefetched) values."""
        latest = latest_value(list(self.values.all()) if values is None else values)
        return progress_share(
            baseline=self.baseline_value, target=self.target_value, latest=latest.value if latest else None
        )


class IndicatorValue(VersionedModel):
    """One dated value of an indicator; never dated before the indicator's baseline (checked by the forms and
    the import, since the baseline lives on another row)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator"))
    date = models.DateField(_("date"), validators=[validate_plausible_date])
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source"), max_length=500, blank=True, help_text=_("Where the figure comes from: a document, a statistic, a link."))
    note = BoundedTextField(_("note"), blank=True, max_length=1000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["date"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            # One value per day: a chart and a comparison need to know which figure a date stands for.
            models.UniqueConstraint(fields=["indicator", "date"], name="indicator_value_one_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"

    def clean(self) -> None:
        if self.date and self.indicator_id and self.date < self.indicator.baseline_date:
            raise ValidationError(
                {"date": _("A value cannot be dated before the indicator's baseline (%(date)s).")
                 % {"date": formats.date_format(self.indicator.baseline_date, "DATE_FORMAT")}}
            )
