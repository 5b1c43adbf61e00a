"""What the "Secretariat" group may do: exactly the permissions its work needs, and no deletions of members,
plans or reports (they are retired, declined or ended, never erased).

The data migration creates the group from this list; a test keeps the two in step.
"""

SECRETARIAT_GROUP = "Secretariat"

SECRETARIAT_PERMISSIONS: dict[str, list[str]] = {
    # The security log, of coordinator accounts only (core/admin.py hides staff accounts' events from it).
    "core": ["view_securityevent"],
    "members": [
        "view_member", "add_member", "change_member", "coordinate_every_member", "change_member_status",
        "view_authority", "add_authority", "change_authority", "delete_authority",
        "view_contact", "add_contact", "change_contact", "delete_contact",
        "view_coordinatorassignment", "add_coordinatorassignment", "change_coordinatorassignment",
        "delete_coordinatorassignment",
        "view_invitation", "add_invitation", "change_invitation",
        "view_membershipapplication", "change_membershipapplication",
        "view_membershiptransition",
        "view_user", "change_user",
        "view_source", "add_source", "change_source",
        "view_network", "add_network", "change_network",
        "view_networkmembership", "add_networkmembership", "change_networkmembership", "delete_networkmembership",
        "view_workinggroup", "add_workinggroup", "change_workinggroup",
        "view_workinggroupparticipation", "add_workinggroupparticipation", "change_workinggroupparticipation",
        "delete_workinggroupparticipation",
        "view_sitepage", "change_sitepage",
        "import_members",
        # Help for locked-out coordinators (members/user_admin.py); never for staff accounts.
        "reset_second_factor", "lift_login_pause", "resend_invitation",
        "view_membershiptransitioncorrection",
        "view_membernote", "add_membernote", "change_membernote",
    ],
    "actionplan": [
        "view_commitment", "view_actionplan", "change_actionplan", "view_measure", "change_measure", "view_measureupdate",
        "view_indicator", "change_indicator", "view_indicatorvalue", "change_indicatorvalue",
    ],
    "reports": [
        "view_implementationreport", "change_implementationreport", "review_report",
        "view_reportnarrative", "add_reportnarrative", "change_reportnarrative",
        "view_reportdocument", "add_reportdocument", "change_reportdocument", "delete_reportdocument",
        "view_reporttransition", "view_reportreminder",
        # Errata are added, never changed or deleted (reports/admin/errata.py).
        "view_reporterratum", "add_reporterratum",
        # The traces of deleted drafts and corrected periods: read only (reports/admin/deletions.py).
        "view_reportdeletion", "view_reportperiodchange",
    ],
    "secretariat": [
        "view_announcement", "add_announcement", "send_announcement", "view_opendatalicence", "add_opendatalicence",
    ],
}


def secretariat_group():
    """The group, created or repaired with exactly SECRETARIAT_PERMISSIONS (tests whose database was flushed,
    demo set-up); the data migration creates it on every real database."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    wanted = Q(pk__in=[])
    for app_label, codenames in SECRETARIAT_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.set(Permission.objects.filter(wanted))
    return group
