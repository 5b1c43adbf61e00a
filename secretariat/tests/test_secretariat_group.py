import importlib

import pytest

from members.models import Member
from members.permissions import member_role
from secretariat.permissions import SECRETARIAT_GROUP, SECRETARIAT_PERMISSIONS

pytestmark = pytest.mark.django_db


def test_it_creates_the_secretariat_group_with_exactly_the_listed_permissions():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=SECRETARIAT_GROUP)
    granted = {(p.content_type.app_label, p.codename) for p in group.permissions.select_related("content_type")}
    assert granted == {(app, codename) for app, codenames in SECRETARIAT_PERMISSIONS.items() for codename in codenames}


def test_it_keeps_the_migrations_copies_in_step_with_the_live_list():
    # The group as 0002 created it, plus what later migrations added.
    frozen = {app: list(codenames) for app, codenames in importlib.import_module("secretariat.migrations.0002_secretariat_group").PERMISSIONS.items()}
    for later in ("0004_secretariat_licence_permissions", "0006_secretariat_indicator_permissions",
                  "0010_secretariat_members_import_permission", "0011_secretariat_erratum_permissions",
                  "0008_secretariat_account_help_permissions",
                  "0009_secretariat_transition_correction_permission",
                  "0012_secretariat_note_permissions", "0013_secretariat_report_deletion_permissions"):
        for app, codenames in importlib.import_module(f"secretariat.migrations.{later}").ADDED.items():
            frozen.setdefault(app, []).extend(codenames)
    assert frozen == SECRETARIAT_PERMISSIONS


def test_it_grants_no_deletion_of_members_plans_or_reports():
    deletions = {c for codenames in SECRETARIAT_PERMISSIONS.values() for c in codenames if c.startswith("delete_")}
    assert not deletions & {"delete_member", "delete_actionplan", "delete_measure", "delete_implementationreport", "delete_user"}


def test_it_gives_the_secretariat_and_nobody_else_on_the_staff_the_lead_role(dresden, staff, bare_staff, superuser):
    member = Member.objects.get(pk=dresden.pk)
    assert member_role(staff, member) == "lead"
    assert member_role(bare_staff, member) is None
    assert member_role(superuser, member) == "lead"
