from __future__ import annotations

from django.db import models, transaction

from actionplan.models import ActionPlan, Commitment, Measure
from core.versioning import VersionedModel, save_versioned
from members.models import (
    Authority,
    Contact,
    ContactConsent,
    Member,
    MemberStatus,
    MembershipTransition,
    Network,
    NetworkMembership,
    Source,
    WorkingGroup,
)
from reports.models import ImplementationReport, ReportDocument, ReportStatus
from seeding import seed_data


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, bool]:
    """get_or_create that saves only when a value differs, so a rerun writes nothing (and no history)."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if created:
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        if isinstance(obj, VersionedModel):
            # A repaired fact is an edit like any other: under the row lock, only the repaired fields, and the
            # version moves on, so a form opened before is told.
            with transaction.atomic():
                obj = model.objects.select_for_update().get(pk=obj.pk)
                for name in changed:
                    setattr(obj, name, values[name])
                save_versioned(obj, expected_version=obj.version, update_fields=changed)
        else:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
    return obj, False


def seed_eccar() -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}

    def count(label: str, created: bool) -> None:
        entry = counts.setdefault(label, [0, 0])
        entry[0] += int(created)
        entry[1] += 1

    sources = {}
    for key, values in seed_data.SOURCES.items():
        sources[key], created = _upsert(Source, {"key": key}, {"note": "", **values})
        count("sources", created)

    commitment_source = sources["dresden"]
    commitments = {}
    for number, title_de, title_en in seed_data.COMMITMENTS:
        summary_de, summary_en = seed_data.COMMITMENT_SUMMARIES.get(number, ("", ""))
        values = {"title_de": title_de, "title_en": title_en, "source": commitment_source}
        if summary_de:
            values.update(summary_de=summary_de, summary_en=summary_en)
        commitments[number], created = _upsert(Commitment, {"number": number}, values)
        count("commitments", created)

    members = {}
    for spec in seed_data.MEMBERS:
        source = sources[spec["source"]]
        values = {
            "name": spec["name"],
            "kind": spec["kind"],
            "country": spec["country"],
            "status": MemberStatus.MEMBER,
            "admitted_on": spec.get("admitted_on"),
            "admitted_precision": spec.get("admitted_precision", "day"),
            "admission_note": spec.get("admission_note", ""),
            "lead_department": spec.get("lead_department", ""),
            "description": spec.get("description", ""),
            "content_language": "de",
            "source": source,
        }
        member, created = _upsert(Member, {"slug": spec["slug"]}, values)
        members[spec["slug"]] = member
        count("members", created)
        if spec.get("admitted_on"):
            # The admission the source states, as the lifecycle records it; the date's precision is the member's.
            note = spec.get("admission_note") or "Aufnahme"
            _, created = MembershipTransition.objects.get_or_create(
                member=member, from_status=MemberStatus.APPLICANT, to_status=MemberStatus.MEMBER,
                defaults={"effective_on": spec["admitted_on"], "reason": f"{note} Quelle: {source}", "by": None},
            )
            count("membership transitions", created)
        for position, (name, kind) in enumerate(spec["authorities"]):
            _, created = _upsert(Authority, {"member": member, "name": name}, {"kind": kind, "position": position})
            count("authorities", created)
        for contact in spec.get("contacts", []):
            _, created = _upsert(
                Contact,
                {"member": member, "name": contact["name"]},
                {
                    **{k: v for k, v in contact.items() if k != "name"},
                    "publish": True,
                    "consent": ContactConsent.PUBLISHED_BY_MEMBER,
                    "source": source,
                },
            )
            count("contacts", created)
        plan_values = spec.get("plan", {})
        plan, created = _upsert(
            ActionPlan, {"member": member}, {**plan_values, "source": source if plan_values or spec.get("measures") else None}
        )
        count("action plans", created)
        for measure in spec.get("measures", []):
            _, created = _upsert(
                Measure,
                {"plan": plan, "title": measure["title"]},
                {
                    "commitment": commitments[measure["commitment"]],
                    "description": measure["description"],
                    "responsible_unit": measure["responsible_unit"],
                    "status": measure["status"],
                    "is_public": True,
                    "source": source,
                },
            )
            count("measures", created)
        for network in spec.get("networks", []):
            net, created = _upsert(
                Network,
                {"name": network["name"]},
                {
                    "abbreviation": network.get("abbreviation", ""),
                    "founded_year": network.get("founded_year"),
                    "description": network.get("description", ""),
                    "source": source,
                },
            )
            count("networks", created)
            _, created = _upsert(
                NetworkMembership,
                {"member": member, "network": net},
                {
                    "since_year": network.get("since_year"),
                    "lead_department": network.get("lead_department", ""),
                    "source": source,
                },
            )
            count("network memberships", created)
        report = spec.get("report")
        if report:
            obj, created = _upsert(
                ImplementationReport,
                {"member": member, "period_start": report["period_start"], "period_end": report["period_end"]},
                {
                    "period_label": report["period_label"],
                    "title": report["title"],
                    "summary": report["summary"],
                    "status": ReportStatus.PUBLISHED,
                    "source": source,
                },
            )
            count("reports", created)
            for language, title in report["documents"]:
                _, created = _upsert(ReportDocument, {"report": obj, "language": language, "title": title}, {})
                count("report documents", created)

    for spec in seed_data.WORKING_GROUPS:
        group, created = _upsert(
            WorkingGroup,
            {"slug": spec["slug"]},
            {
                "name_de": spec["name_de"],
                "name_en": spec["name_en"],
                "founded_on": spec["founded_on"],
                "description": spec["description"],
                "participants_note": spec["participants_note"],
                "source": sources[spec["source"]],
            },
        )
        count("working groups", created)
        group.initiated_by.add(*[members[slug] for slug in spec["initiated_by"]])

    return {label: (created, total) for label, (created, total) in counts.items()}
