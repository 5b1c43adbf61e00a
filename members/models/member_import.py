from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

IMPORT_MEMBERS = "members.import_members"


class MemberImport(models.Model):
    """A checked members spreadsheet waiting for the secretariat's confirmation, and afterwards the record of its
    import: the source of the admissions it recorded (MembershipTransition.source_import).

    The rows are kept here as checked, so confirming needs no second upload; `content_hash` recognises a file
    that was imported before.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content_hash = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    rows = models.JSONField(_("rows"), default=list)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("imported by")
    )
    created_count = models.PositiveIntegerField(_("members created"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows skipped"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("members import")
        verbose_name_plural = _("members imports")
        permissions = [("import_members", _("Can import members from a spreadsheet"))]

    def __str__(self) -> str:
        return self.file_name
