from __future__ import annotations

import datetime as dt

from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplan.models import ActionPlan, Commitment
from core.fields import BoundedTextField
from core.i18n import LANGUAGE_CHOICES, of_name
from core.dates import short_date, validate_plausible_date
from core.files import STORAGE_ERRORS, delete_after_commit, delete_quietly, store_upload
from core.versioning import EditConflict, VersionedModel, base_state, bump_version, save_bookkeeping, save_versioned
from members.models import CoordinatorRole, Member, Source, public_member_q, visible_q
from members.permissions import member_role


REVIEW_REPORT = "reports.review_report"
ADD_ERRATUM = "reports.add_reporterratum"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    PUBLISHED = "published", _("Published")


# Statuses in which coordinators may still change the report; a returned report is a draft with feedback.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# Statuses that count as a delivered report: they set the next deadline and block overlapping periods.
DELIVERED_STATUSES = (ReportStatus.ACCEPTED, ReportStatus.PUBLISHED)


# The languages a report document may be in: every language Django names by a two-letter ISO 639-1 code. The code
# marks the link with lang=… and is part of the stored file name; a made-up code ("xx") is never accepted.
DOCUMENT_LANGUAGES: frozenset[str] = frozenset(code for code, _name in global_settings.LANGUAGES if len(code) == 2)


def validate_document_language(value: str) -> None:
    if value not in DOCUMENT_LANGUAGES:
        raise ValidationError(
            _("“%(value)s” is not a language the portal knows. Choose the language of the document from the list."),
            params={"value": value},
            code="language",
        )


class ReportTransitionError(ValidationError):
    """A workflow step that is not allowed now; raised before anything is changed."""


class DocumentRefused(ValidationError):
    """A document that cannot be added (over a storage quota); raised before anything is written."""


MB = 1024 * 1024


def member_storage_used(member_id: int) -> int:
    """Bytes a member's files take: every report's documents and the council resolution."""
    used = ReportDocument.objects.filter(report__member_id=member_id).aggregate(total=Sum("file_size"))["total"] or 0
    plan = ActionPlan.objects.filter(member_id=member_id).exclude(resolution_document="").first()
    if plan is not None:
        try:
            used += plan.resolution_document.size
        except STORAGE_ERRORS:
            pass  # a missing file takes no space (and a store that is down refuses the upload itself)
    return used


def check_storage_quota(*, report: ImplementationReport, size: int) -> None:
    """Refuse a new document of `size` bytes that would take the report or its member over its quota.

    Call it under the report's and the member's row locks, so that two uploads cannot both fit the last space.
    """
    report_quota = settings.REPORT_STORAGE_QUOTA_MB * MB
    member_quota = settings.MEMBER_STORAGE_QUOTA_MB * MB
    report_used = report.documents.aggregate(total=Sum("file_size"))["total"] or 0
    if report_used + size > report_quota:
        raise DocumentRefused(
            _(
                "This document (%(size)s) does not fit into the storage quota of %(quota)s per report: %(left)s "
                "are left. Remove a document you no longer need, or upload a smaller file."
            )
            % {"size": filesizeformat(size), "quota": filesizeformat(report_quota), "left": filesizeformat(max(report_quota - report_used, 0))},
            code="report_quota",
        )
    member_used = member_storage_used(report.member_id)
    if member_used + size > member_quota:
        raise DocumentRefused(
            _(
                "This document (%(size)s) does not fit into the storage quota of %(quota)s for all files "
                "%(of_member)s: %(left)s are left. Remove documents you no longer need, or ask the secretariat."
            )
            % {
                "size": filesizeformat(size),
                "quota": filesizeformat(member_quota),
                "left": filesizeformat(max(member_quota - member_used, 0)),
                "of_member": of_name(report.member.name),
            },
            code="member_quota",
        )


def overlapping_delivered_reports(*, member: Member, start: dt.date, end: dt.date, exclude_pk: int | None = None):
    qs = ImplementationReport.objects.filter(
        member=member, status__in=DELIVERED_STATUSES, period_start__lte=end, period_end__gte=start
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def published_report_q() -> Q:
    # Public means published *and* of a public member: an applicant's data never appears on public pages,
    # feeds, the sitemap or open data, even if a report of theirs was published.
    return Q(status=ReportStatus.PUBLISHED) & public_member_q("member__")


class ReportQuerySet(models.QuerySet):
    def published(self) -> ReportQuerySet:
        return self.filter(published_report_q())

    def visible_to(self, user) -> ReportQuerySet:
        return self.filter(visible_q(user, public=published_report_q(), member_path="member_id"))


class ImplementationReport(VersionedModel):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reports", verbose_name=_("member"))
    period_start = models.DateField(_("period start"), validators=[validate_plausible_date])
    period_end = models.DateField(_("period end"), validators=[validate_plausible_date])
    period_label = models.CharField(
        _("period as the source states it"), max_length=100, blank=True, help_text=_('e.g. "2017 – September 2020"')
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    summary = BoundedTextField(_("summary"), blank=True, max_length=10000)
    feedback = BoundedTextField(_("feedback from the secretariat"), blank=True, max_length=10000)
    snapshot = models.JSONField(_("snapshot of the plan"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("source"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # An editor's word to the lead that the draft is finished (mark_ready); cleared again by clear_ready and by
    # the submission.
    ready_at = models.DateTimeField(_("ready for the lead since"), null=True, blank=True, editable=False)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("marked ready by"), editable=False,
    )

    objects = ReportQuerySet.as_manager()
    # Who changed what and when, also for edits in the admin and a deletion there; the snapshot is frozen
    # once at submission and kept out of the history.
    history = HistoricalRecords(excluded_fields=["updated_at", "created_at", "snapshot"])
    # Written only by the review steps below. A delivered report is the town's text: the admin's history shows its
    # states but offers no restore (core/admin.py).
    lifecycle_fields = ("status", "submitted_at", "published_at", "ready_at", "ready_by")
    history_restorable = False

    class Meta:
        ordering = ["-period_end", "member__name"]
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_end_not_before_start"),
        ]
        indexes = [models.Index(fields=["status", "-published_at"]), models.Index(fields=["member", "status"])]
        permissions = [("review_report", _("Can review, return, accept and publish implementation reports"))]

    def __str__(self) -> str:
        return str(_("Report %(of_member)s, %(period)s") % {"of_member": of_name(self.member.name), "period": self.period_display})

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def period_display(self) -> str:
        if self.period_label:
            return self.period_label
        return f"{short_date(self.period_start)} – {short_date(self.period_end)}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_frozen(self) -> bool:
        """Submitted, accepted or published: its content is what the member handed in, changed by nobody."""
        return not self.is_editable

    # --- Workflow -------------------------------------------------------------------------------
    # Every step locks the row (select_for_update), re-reads the status under the lock, checks its
    # preconditions, then changes status, bumps the version and records a ReportTransition. A failed
    # check raises ReportTransitionError before anything is written.

    def submit(self, *, by, expected_version: int | None = None) -> None:
        """Freeze and submit. With `expected_version` (the version the lead previewed), a report changed since
        the preview is refused, so that the secretariat receives exactly what the lead saw."""
        from reports import notifications
        from reports.snapshot import build_snapshot

        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, EDITABLE_STATUSES, _("Only a draft or a returned report can be submitted."))
            if expected_version is not None and locked.version != expected_version:
                raise ReportTransitionError(
                    _("The report was changed after you opened the preview. Please check the preview again."),
                    code="changed_since_preview",
                )
            if member_role(by, locked.member) != CoordinatorRole.LEAD:
                raise ReportTransitionError(_("Only the lead coordinator can submit a report."), code="not_lead")
            self._require_no_overlap(locked)
            locked.snapshot = build_snapshot(locked)
            locked.submitted_at = timezone.now()
            # "Ready for the lead" has done its work; a returned report starts without it.
            locked.ready_at, locked.ready_by = None, None
            self._apply(
                locked, ReportStatus.SUBMITTED, by=by, fields=["snapshot", "submitted_at", "ready_at", "ready_by"],
                submission=locked.submission_record(),
            )
            # Typing kept before the submission belongs to the text now frozen; a returned report starts afresh.
            locked.drafts.all().delete()
        notifications.report_submitted(self, by=by)

    def return_to_member(self, *, by, feedback: str) -> None:
        from reports import notifications

        feedback = (feedback or "").strip()
        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, (ReportStatus.SUBMITTED,), _("Only a submitted report can be returned."))
            self._require_staff(by)
            if not feedback:
                raise ReportTransitionError(_("Please write the feedback that explains what to revise."), code="no_feedback")
            locked.feedback = feedback
            self._apply(locked, ReportStatus.RETURNED, by=by, fields=["feedback"], note=feedback)
        notifications.report_reviewed(self, note=feedback)

    def accept(self, *, by, note: str = "") -> None:
        """`note` is the secretariat's optional word on the acceptance, kept on the transition and mailed; the
        report's `feedback` is left alone (it is the last return's, and is never quoted as this step's note)."""
        from reports import notifications

        note = (note or "").strip()
        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, (ReportStatus.SUBMITTED,), _("Only a submitted report can be accepted."))
            self._require_staff(by)
            self._require_no_overlap(locked)
            self._apply(locked, ReportStatus.ACCEPTED, by=by, fields=[], note=note)
        notifications.report_reviewed(self, note=note)

    def publish(self, *, by) -> None:
        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, (ReportStatus.ACCEPTED,), _("Only an accepted report can be published."))
            self._require_staff(by)
            locked.published_at = timezone.now()
            self._apply(locked, ReportStatus.PUBLISHED, by=by, fields=["published_at"])

    def change_period(self, *, start: dt.date, end: dt.date, by, expected_version: int | None = None, confirmed: str = "") -> ReportPeriodChange:
        """Correct the period of a draft, recorded with who, when and the old and new dates (`confirmed`: the
        warnings the user confirmed, e.g. a period ending in the future). A period label from a source no longer
        fits new dates and is cleared. Raises ReportTransitionError (not a draft, end before start, an overlap
        with a delivered report) or EditConflict, with nothing written."""
        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, (ReportStatus.DRAFT,), _("Only the period of a draft can be changed."))
            if end < start:
                raise ReportTransitionError(_("The end of the period must not be before its start."), code="end_before_start")
            clash = overlapping_delivered_reports(member=locked.member, start=start, end=end, exclude_pk=locked.pk).first()
            if clash is not None:
                raise ReportTransitionError(
                    _("The period overlaps the accepted report %(period)s. Choose a period after it.") % {"period": clash.period_display},
                    code="overlap",
                )
            change = ReportPeriodChange(
                report=locked, old_start=locked.period_start, old_end=locked.period_end, old_label=locked.period_label,
                new_start=start, new_end=end, by=by, confirmed=confirmed,
            )
            locked.period_start, locked.period_end, locked.period_label = start, end, ""
            save_versioned(
                locked, expected_version=locked.version if expected_version is None else expected_version, by=by,
                update_fields=["period_start", "period_end", "period_label"],
            )
            change.save()
        for name in ("period_start", "period_end", "period_label", "version", "updated_at"):
            setattr(self, name, getattr(locked, name))
        return change

    def delete_draft(self, *, by, expected: str | None = None) -> ReportDeletion:
        """Delete a draft (only the lead coordinator, never a report that was ever submitted). What it was is kept
        in a ReportDeletion (member, period, title, who created and who deleted it, what was lost) for the
        secretariat; its documents' files go after the commit."""
        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, (ReportStatus.DRAFT,), _("Only a draft can be deleted."))
            if locked.transitions.exists() or locked.submitted_at is not None:
                raise ReportTransitionError(_("A report that was submitted once is never deleted."), code="was_submitted")
            if member_role(by, locked.member) != CoordinatorRole.LEAD:
                raise ReportTransitionError(_("Only the lead coordinator can delete a draft."), code="not_lead")
            lost = locked.lost_on_deletion()
            if expected is not None and expected != locked.deletion_token(lost):
                # The confirmation page said what would be lost; someone has saved or uploaded since.
                raise ReportTransitionError(
                    _("The draft was changed since you opened this page. Check again what would be lost."),
                    code="changed_since_confirmation",
                )
            deletion = ReportDeletion.objects.create(
                member=locked.member, report_number=locked.pk, period_start=locked.period_start, period_end=locked.period_end,
                period_label=locked.period_label, title=locked.title, created_by=locked.created_by,
                report_created_at=locked.created_at, deleted_by=by, narratives=lost["narratives"], documents=lost["documents"],
            )
            files = [(d.file.storage, d.file.name) for d in locked.documents.all() if d.file]
            for document in locked.documents.all():
                document._history_user = by
                document.delete()
            locked._history_user = by
            locked.delete()
            for storage, name in files:
                delete_after_commit(storage, name)
        return deletion

    def deletion_token(self, lost: dict[str, int]) -> str:
        """What the deletion's confirmation page showed: the version and what would be lost."""
        return f"{self.version}-{lost['narratives']}-{lost['documents']}"

    def lost_on_deletion(self) -> dict[str, int]:
        """What deleting the draft takes away: the narratives with text and the documents."""
        return {
            "narratives": self.narratives.exclude(text="").count(),
            "documents": self.documents.count(),
        }

    def mark_ready(self, *, by) -> None:
        """An editor says the draft is finished: the lead coordinators are told by e-mail (not the one who marks)."""
        from reports import notifications

        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, EDITABLE_STATUSES, _("Only a draft can be marked as ready."))
            locked.ready_at, locked.ready_by = timezone.now(), by
            # Not a change of the report's content: the version stays, so a colleague's open editor still saves.
            save_bookkeeping(locked, fields=["ready_at", "ready_by"], by=by)
        for name in ("ready_at", "ready_by"):
            setattr(self, name, getattr(locked, name))
        notifications.report_ready(self, by=by)

    def clear_ready(self, *, by) -> None:
        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, EDITABLE_STATUSES, _("Only a draft can be marked as ready."))
            if locked.ready_at is None:
                return
            locked.ready_at, locked.ready_by = None, None
            save_bookkeeping(locked, fields=["ready_at", "ready_by"], by=by)
        for name in ("ready_at", "ready_by"):
            setattr(self, name, getattr(locked, name))

    def save_draft(self, *, expected_version: int, title: str, summary: str, narratives: dict[int, str], by=None) -> None:
        """Save the coordinator's edits; when someone saved in between, merge them (optimistic locking on `version`).

        A stale save is compared field by field (title, summary, each narrative) with the report as it was at
        `expected_version` (`_merge_base`): what only the colleague changed stays theirs, what only this user
        changed is saved. Raises EditConflict (nothing written) when both changed a field (`fields` names the
        form fields, `theirs` those only the colleague changed) or the base is unknown (`fields=None`), and
        ReportTransitionError when the report has left the editable statuses meanwhile. The report's version
        guards its narratives too.
        """
        with transaction.atomic():
            locked = ImplementationReport.objects.select_for_update().get(pk=self.pk)
            if not locked.is_editable:
                raise ReportTransitionError(
                    _("This report is %(status)s and can no longer be changed.") % {"status": locked.get_status_display()},
                    code="not_editable",
                )
            commitments = {c.number: c for c in Commitment.objects.all()}
            stored = dict(self.narratives.values_list("commitment__number", "text"))
            narratives = {n: text for n, text in narratives.items() if n in commitments}
            if locked.version != expected_version:
                title, summary, narratives = _merged_draft(locked, expected_version, title, summary, narratives, stored)
                # The row is locked and the merge is done: the claim of the current version matches.
                expected_version = locked.version
            locked.title, locked.summary = title, summary
            save_versioned(locked, expected_version=expected_version, by=by, update_fields=["title", "summary"])
            changed = [
                ReportNarrative(report=self, commitment=commitments[n], text=text)
                for n, text in narratives.items()
                if stored.get(n) != text
            ]
            if changed:
                saved = ReportNarrative.objects.bulk_create(
                    changed, update_conflicts=True, unique_fields=["report", "commitment"], update_fields=["text"]
                )
                # bulk_create bypasses save(): the history records are written here.
                ReportNarrative.history.bulk_history_create(saved, update=True, default_user=by)
        self.title, self.summary, self.version = title, summary, locked.version

    def add_document(self, *, file, language: str, title: str, by) -> ReportDocument:
        """Store a new PDF and record it, or refuse it (DocumentRefused, StorageFailed) with nothing kept.

        The file is written inside the transaction that records its row and deleted again if that transaction
        fails (core/files.py explains why this order); the editor's view opts out of ATOMIC_REQUESTS, so this
        block is the one that commits.
        """
        stored = ""
        storage = ReportDocument._meta.get_field("file").storage
        try:
            # Under the report's lock, and the version moves on: a preview opened before no longer matches, and
            # a submission cannot interleave with the change of its documents. The member's row is locked too,
            # so that two reports of one member cannot both take its last free space.
            with transaction.atomic():
                locked = self._lock()
                if not locked.is_editable:
                    raise ReportTransitionError(_("Documents can only be added while the report is a draft."), code="not_editable")
                validate_document_language(language)
                Member.objects.select_for_update().filter(pk=locked.member_id).values_list("pk").first()
                check_storage_quota(report=locked, size=file.size)
                document = ReportDocument(report=self, language=language, title=title, uploaded_by=by, file_size=file.size)
                stored = store_upload(storage, document_upload_to(document, file.name), file)
                document.file = stored  # written already: the row only records its name
                document.save()
                bump_version(ImplementationReport, self.pk)
        except BaseException:
            delete_quietly(storage, stored)
            raise
        self.version = locked.version + 1
        return document

    def remove_document(self, *, document: ReportDocument, by=None) -> None:
        """Remove a draft's document. The file goes (it may have been the wrong one, with personal data), but the
        document's history keeps its title, language, file name, uploader, and who removed it when."""
        with transaction.atomic():
            locked = self._lock()
            if not locked.is_editable:
                raise ReportTransitionError(_("Documents can only be removed while the report is a draft."), code="not_editable")
            if by is not None:
                document._history_user = by
            name, storage = document.file.name, document.file.storage
            document.delete()  # first, so that the history row still names the file
            bump_version(ImplementationReport, self.pk)
            # Only once the removal is committed: a rolled-back request must not lose the file.
            delete_after_commit(storage, name)
        self.version = locked.version + 1

    def add_erratum(
        self, *, text: str, reason: str, by, corrects: ReportErratum | None = None, language: str = "de"
    ) -> ReportErratum:
        """Record a correction of a published report. Errata are never changed afterwards: a later erratum that
        `corrects` an earlier one takes its place, and both stay on the public page."""
        text, reason = (text or "").strip(), (reason or "").strip()
        with transaction.atomic():
            locked = self._lock()
            self._require_status(locked, (ReportStatus.PUBLISHED,), _("Only a published report can be corrected by an erratum."))
            if not (by is not None and by.has_perm(ADD_ERRATUM)):
                raise ReportTransitionError(_("Only the secretariat can add an erratum."), code="not_staff")
            if corrects is not None and corrects.report_id != locked.pk:
                raise ReportTransitionError(_("An erratum can only correct an erratum of the same report."), code="other_report")
            erratum = ReportErratum(
                report=locked, text=text, reason=reason, language=language, corrects=corrects, created_by=by
            )
            erratum.full_clean()
            erratum._history_user = by
            erratum.save()
        return erratum

    def _lock(self) -> ImplementationReport:
        return ImplementationReport.objects.select_for_update().select_related("member").get(pk=self.pk)

    @staticmethod
    def _require_status(locked: ImplementationReport, allowed: tuple, message) -> None:
        if locked.status not in allowed:
            raise ReportTransitionError(
                _("%(message)s This report is %(status)s.") % {"message": message, "status": locked.get_status_display()},
                code="wrong_status",
            )

    @staticmethod
    def _require_staff(by) -> None:
        if not (by is not None and by.has_perm(REVIEW_REPORT)):
            raise ReportTransitionError(_("Only the secretariat can review reports."), code="not_staff")

    @staticmethod
    def _require_no_overlap(locked: ImplementationReport) -> None:
        clash = overlapping_delivered_reports(
            member=locked.member, start=locked.period_start, end=locked.period_end, exclude_pk=locked.pk
        ).first()
        if clash is not None:
            raise ReportTransitionError(
                _("The period overlaps the accepted report %(period)s.") % {"period": clash.period_display}, code="overlap"
            )

    def submission_record(self) -> dict:
        """What is submitted, kept on the transition: the snapshot is overwritten by a resubmission, and the
        texts change while a returned report is revised; the secretariat compares with this record."""
        narratives = dict(self.narratives.values_list("commitment__number", "text"))
        documents = self.documents.order_by("pk").values("pk", "title", "language", "file")
        return {
            "snapshot": self.snapshot,
            "texts": {"title": self.title, "summary": self.summary, **{str(n): t for n, t in narratives.items()}},
            # The documents too: a PDF added on the secretariat's request is part of what changed.
            "documents": [
                {"id": d["pk"], "title": d["title"], "language": d["language"], "has_file": bool(d["file"])} for d in documents
            ],
        }

    def previous_submission(self) -> ReportTransition | None:
        """The submission before the latest one, if the report was returned and submitted again."""
        return self.transitions.filter(to_status=ReportStatus.SUBMITTED).order_by("-at", "-pk")[1:2].first()

    def _apply(
        self, locked: ImplementationReport, to_status: str, *, by, fields: list[str], note: str = "", submission: dict | None = None
    ) -> None:
        from_status = locked.status
        locked.status = to_status
        save_versioned(locked, expected_version=locked.version, by=by, update_fields=["status", *fields])
        ReportTransition.objects.create(
            report=locked, from_status=from_status, to_status=to_status, by=by, note=note, submission=submission
        )
        # Keep the caller's instance in step with the database.
        for field in ["status", "version", "updated_at", *fields]:
            setattr(self, field, getattr(locked, field))


class ReportNarrative(models.Model):
    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="narratives", verbose_name=_("report"))
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="+", verbose_name=_("commitment"))
    text = BoundedTextField(_("narrative"), blank=True, max_length=20000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment__number"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [models.UniqueConstraint(fields=["report", "commitment"], name="narrative_unique_per_commitment")]

    def __str__(self) -> str:
        return f"{self.report} – {self.commitment.number}"


def _merge_base(report: ImplementationReport, version: int) -> dict[str, str] | None:
    """The editor's fields (title, summary, narrative_N) as they were at `version`, or None when unknown.

    Title and summary come from the report's history record of that version (`base_state`). A save writes the
    report's record first and its narratives just after, so the narratives of that state are the latest
    narrative records before the report's next versioned record; a commitment without one had an empty text.
    """
    base = base_state(report, version)
    if base is None:
        return None
    later = (
        report.history.filter(version__gt=version).exclude(history_type="-")
        .order_by("version", "history_date", "history_id").values_list("history_date", flat=True).first()
    )
    records = ReportNarrative.history.filter(report_id=report.pk)
    if later is not None:
        records = records.filter(history_date__lt=later)
    latest = (
        records.order_by("commitment_id", "-history_date", "-history_id").distinct("commitment_id")
        .values_list("commitment__number", "text", "history_type")
    )
    state = {"title": base.title or "", "summary": base.summary or ""}
    state.update({f"narrative_{number}": "" if kind == "-" else (text or "") for number, text, kind in latest})
    return state


def _merged_draft(
    locked: ImplementationReport, version: int, title: str, summary: str, narratives: dict[int, str], stored: dict[int, str]
) -> tuple[str, str, dict[int, str]]:
    """Three-way merge of a save from `version` onto the locked report: the title, summary and narratives to
    save (the colleague's where only they changed a field), or EditConflict with nothing written."""
    base = _merge_base(locked, version)
    if base is None:
        raise EditConflict(locked)
    mine = {"title": title, "summary": summary, **{f"narrative_{n}": text for n, text in narratives.items()}}
    current = {"title": locked.title, "summary": locked.summary, **{f"narrative_{n}": stored.get(n, "") for n in narratives}}
    theirs, both = [], []
    for name, ours in mine.items():
        ours, now, before = ours or "", current[name] or "", base.get(name, "")
        if ours == now:
            continue
        if ours == before:
            theirs.append(name)
        elif now != before:
            both.append(name)
    if both:
        raise EditConflict(locked, fields=both, theirs=theirs)
    if "title" in theirs:
        title = locked.title
    if "summary" in theirs:
        summary = locked.summary
    return title, summary, {n: text for n, text in narratives.items() if f"narrative_{n}" not in theirs}


def document_upload_to(instance: ReportDocument, filename: str) -> str:
    # Never the uploader's file name; the language code is reduced to letters so no input can shape the path.
    language = "".join(ch for ch in instance.language.lower() if "a" <= ch <= "z")[:8] or "xx"
    return f"reports/{instance.report_id}/{language}-{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class ReportDocument(models.Model):
    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="documents", verbose_name=_("report"))
    language = models.CharField(
        _("language"), max_length=8, validators=[validate_document_language], help_text=_("ISO 639-1 code, e.g. de or en")
    )
    title = models.CharField(_("title"), max_length=300)
    # Blank when the source names a document but none is held (Dresden's seeded report).
    file = models.FileField(_("file (PDF)"), upload_to=document_upload_to, blank=True, max_length=255)
    # Kept in the row, so that the storage quotas are a sum in SQL, not a look at every file on disk.
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["language", "title"]
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def save(self, *args, **kwargs) -> None:
        # A file uploaded elsewhere (the admin) counts towards the quotas too.
        if self.file and not self.file._committed:
            self.file_size = self.file.size
        super().save(*args, **kwargs)


class ReportTransition(models.Model):
    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("report"))
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    # The secretariat's feedback when a report is returned (as long as the report's own feedback field), or its
    # optional note when it is accepted.
    note = BoundedTextField(_("note"), blank=True, max_length=10000)
    # On a submission: the snapshot and the texts as submitted (ImplementationReport.submission_record).
    submission = models.JSONField(_("as submitted"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")

    def __str__(self) -> str:
        return f"{self.report}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class ReportPeriodChange(models.Model):
    """A draft's period corrected: who, when, the old and the new dates, and the warnings the user confirmed."""

    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="period_changes", verbose_name=_("report"))
    old_start = models.DateField(_("old period start"))
    old_end = models.DateField(_("old period end"))
    old_label = models.CharField(_("old period as the source states it"), max_length=100, blank=True)
    new_start = models.DateField(_("new period start"))
    new_end = models.DateField(_("new period end"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    confirmed = models.TextField(_("confirmed warnings"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("change of a report period")
        verbose_name_plural = _("changes of report periods")

    def __str__(self) -> str:
        return f"{short_date(self.old_start)} – {short_date(self.old_end)} → {short_date(self.new_start)} – {short_date(self.new_end)}"


class ReportDeletion(models.Model):
    """The trace of a deleted draft: the report is gone, this record of what it was stays (DESIGN.md: nothing is
    hard-deleted without a trace). Written only by ImplementationReport.delete_draft, never changed."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="report_deletions", verbose_name=_("member"))
    report_number = models.PositiveIntegerField(_("number of the deleted report"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period as the source states it"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    report_created_at = models.DateTimeField(_("draft created"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("deleted by")
    )
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)
    narratives = models.PositiveSmallIntegerField(_("narratives with text"), default=0)
    documents = models.PositiveSmallIntegerField(_("documents"), default=0)

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        verbose_name = _("deleted report draft")
        verbose_name_plural = _("deleted report drafts")

    def __str__(self) -> str:
        return str(_("Draft report of %(member)s, %(period)s, deleted") % {"member": self.member, "period": self.period_display})

    @property
    def period_display(self) -> str:
        if self.period_label:
            return self.period_label
        return f"{short_date(self.period_start)} – {short_date(self.period_end)}"


class ReportErratum(models.Model):
    """A correction of a published report, shown with it on the public page and in its PDF. Recorded once and
    never changed or deleted: a mistake in an erratum is corrected by a new erratum (`corrects`)."""

    report = models.ForeignKey(ImplementationReport, on_delete=models.PROTECT, related_name="errata", verbose_name=_("report"))
    text = BoundedTextField(
        _("correction"), max_length=5000, help_text=_("What is corrected, as the public reads it on the report's page.")
    )
    reason = BoundedTextField(
        _("reason"), max_length=2000, help_text=_("Why the report is corrected; shown on the public page with the correction.")
    )
    # The language the secretariat wrote the erratum in: it becomes the text's lang attribute.
    language = models.CharField(_("language of the erratum"), max_length=8, choices=LANGUAGE_CHOICES, default="de")
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by", verbose_name=_("corrects the erratum"),
        help_text=_("Only when this erratum corrects an earlier erratum of the same report."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("erratum")
        verbose_name_plural = _("errata")

    def __str__(self) -> str:
        return str(_("Erratum of %(date)s") % {"date": short_date(self.created_at)})

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ReportTransitionError(_("An erratum is never changed: add a new erratum that corrects it."), code="erratum_fixed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReportTransitionError(_("An erratum is never deleted: add a new erratum that corrects it."), code="erratum_fixed")


class ReminderKind(models.TextChoices):
    DAYS_60 = "60", _("60 days before")
    DAYS_14 = "14", _("14 days before")
    DUE = "due", _("on the due date")
    OVERDUE = "overdue", _("overdue")


class ReminderChannel(models.TextChoices):
    COORDINATORS = "coordinators", _("to the coordinators")
    CONTACT = "contact", _("to the published contact (no coordinator)")
    SECRETARIAT = "secretariat", _("nobody reachable: the secretariat was told")


class ReportReminder(models.Model):
    """One reminder e-mail round for a member; the unique key makes reruns send nothing twice, including the
    secretariat's notice about a member that no reminder could reach."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="report_reminders", verbose_name=_("member"))
    due_on = models.DateField(_("due on"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sequence = models.PositiveSmallIntegerField(_("overdue round"), default=0)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), blank=True)
    channel = models.CharField(_("reached"), max_length=12, choices=ReminderChannel.choices, default=ReminderChannel.COORDINATORS)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["member", "due_on", "kind", "sequence"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.due_on} ({self.get_kind_display()})"


# A kept draft is offered back for this long; the daily run deletes older ones (`manage.py daily_tasks`).
REPORT_DRAFT_RETENTION_DAYS = 30


class ReportDraft(models.Model):
    """What one user typed into the report editor and has not saved yet, kept by the editor's script.

    It never changes the report: restoring it only fills the editor's form, with the version the typing started
    from, so that saving it over someone else's later save shows the two side by side (core/versioning.py).
    """

    report = models.ForeignKey(ImplementationReport, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("report"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    base_version = models.PositiveIntegerField(_("version typed on"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = BoundedTextField(_("summary"), blank=True, max_length=10000)
    # {"1": "…", …, "10": "…"}: each text within the narrative's limit (the editor's form checks it).
    narratives = models.JSONField(_("narratives"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("kept at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("kept report draft")
        verbose_name_plural = _("kept report drafts")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="report_draft_one_per_user")]

    def __str__(self) -> str:
        return f"{self.report} – {self.user}"

    def differs_from(self, report: ImplementationReport, saved_narratives: dict[int, str]) -> bool:
        """Whether restoring it would change anything in the form as the report stands saved."""
        if (self.title, self.summary) != (report.title, report.summary):
            return True
        return any(text != saved_narratives.get(int(number), "") for number, text in self.narratives.items())
