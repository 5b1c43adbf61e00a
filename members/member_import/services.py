"""Importing a checked members spreadsheet: every new member with its authorities, contact person and admission,
all or nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.versioning import save_versioned
from members.member_import.sheet import match_key
from members.models import Authority, Contact, Member, MemberImport, MembershipTransition, MemberStatus

SLUG_MAX = Member._meta.get_field("slug").max_length


def members_existing_keys() -> set[tuple[str, str]]:
    """match_key() of every member in the portal, whatever its status: one query."""
    return {match_key(name, country) for name, country in Member.objects.values_list("name", "country")}


def member_import_carry_out(*, member_import: MemberImport, by) -> int | None:
    """Create the members of a checked import, all or none; None when it was already imported.

    The import row is locked, so a second confirmation (a double click, a second tab) waits and then finds it
    done. A row whose member has meanwhile appeared in the portal (same name in the same country) is skipped,
    as the preview promised for the rows it marked.
    """
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.imported_at is not None:
            return None
        existing = members_existing_keys()
        slugs = set(Member.objects.values_list("slug", flat=True))
        created = skipped = 0
        reason = _("Imported from the file “%(file)s”.") % {"file": locked.file_name}
        for row in locked.rows:
            values = row["values"]
            key = match_key(values["name"], values["country"])
            if row.get("skip") or key in existing:
                skipped += 1
                continue
            _create_member(values, slug=_free_slug(values["name"], values["country"], slugs), by=by, source=locked, reason=reason)
            existing.add(key)
            created += 1
        locked.imported_at, locked.imported_by = timezone.now(), by
        locked.created_count, locked.skipped_count = created, skipped
        locked.save(update_fields=["imported_at", "imported_by", "created_count", "skipped_count"])
    member_import.imported_at, member_import.imported_by = locked.imported_at, by
    member_import.created_count, member_import.skipped_count = created, skipped
    return created


def _create_member(values: dict, *, slug: str, by, source: MemberImport, reason: str) -> Member:
    admitted = dt.date.fromisoformat(values["admitted_on"])
    member = Member(
        name=values["name"], slug=slug, kind=values["kind"], country=values["country"], region=values["region"],
        population=values["population"], website=values["website"], status=MemberStatus.MEMBER,
        admitted_on=admitted, admitted_precision=values["admitted_precision"], status_since=admitted,
    )
    save_versioned(member, expected_version=None, by=by)
    Authority.objects.bulk_create(
        Authority(member=member, name=name, kind=kind, position=position)
        for position, (name, kind) in enumerate(values["authorities"])
    )
    if contact := values.get("contact"):
        # Not published: consent is recorded later, by the secretariat or the member.
        Contact.objects.create(member=member, name=contact["name"], email=contact["email"], role=contact["role"])
    MembershipTransition.objects.create(
        member=member, from_status=MemberStatus.APPLICANT, to_status=MemberStatus.MEMBER, effective_on=admitted,
        reason=reason, by=by, source_import=source, applied_at=timezone.now(),  # a past admission: applied, not scheduled
    )
    return member


def _free_slug(name: str, country: str, taken: set[str]) -> str:
    base = (slugify(name) or "member")[:SLUG_MAX]
    candidates = [base, f"{base[:SLUG_MAX - 3]}-{country.lower()}"]
    candidates += [f"{base[:SLUG_MAX - 6]}-{country.lower()}-{n}" for n in range(2, 10_000)]
    slug = next(c for c in candidates if c not in taken)
    taken.add(slug)
    return slug
