"""core.versioning: the one save path for versioned rows, and the conflict rows the 409 screen shows."""

import pytest
from django import forms
from django.utils import translation

from core.versioning import EditConflict, base_state, bump_version, conflict_rows, rebased_data, save_versioned, saved_by
from members.models import Member, MemberKind
from members.tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_new_row_without_a_version_check():
    member = Member(name="Neu", slug="neu", kind=MemberKind.CITY, country="DE")
    save_versioned(member, expected_version=None)
    assert Member.objects.get(slug="neu").version == 1


def test_it_saves_against_the_version_the_editor_started_from():
    member = MemberFactory(lead_department="Alt")
    editor = UserFactory()
    member.lead_department = "Neu"
    save_versioned(member, expected_version=1, by=editor)
    member.refresh_from_db()
    assert (member.lead_department, member.version) == ("Neu", 2)
    assert member.history.first().history_user == editor


def test_it_refuses_a_stale_save_and_writes_nothing():
    member = MemberFactory(lead_department="Alt")
    first, second = Member.objects.get(pk=member.pk), Member.objects.get(pk=member.pk)
    first.lead_department = "Erste"
    save_versioned(first, expected_version=1)
    second.lead_department = "Zweite"
    with pytest.raises(EditConflict) as raised:
        save_versioned(second, expected_version=1)
    assert (raised.value.current.lead_department, raised.value.current.version) == ("Erste", 2)
    member.refresh_from_db()
    assert (member.lead_department, member.version) == ("Erste", 2)


def test_it_writes_only_the_named_fields_under_a_held_lock():
    member = MemberFactory(lead_department="Alt", description="Alt")
    stale = Member.objects.get(pk=member.pk)
    Member.objects.filter(pk=member.pk).update(description="Von anderswo")
    stale.lead_department = "Neu"
    save_versioned(stale, expected_version=stale.version, update_fields=["lead_department"])
    member.refresh_from_db()
    assert (member.lead_department, member.description, member.version) == ("Neu", "Von anderswo", 2)


def test_it_never_saves_an_existing_row_without_the_editors_version():
    member = MemberFactory()
    with pytest.raises(ValueError):
        save_versioned(member, expected_version=None)


def test_it_moves_a_guarding_version_on_without_a_history_entry():
    member = MemberFactory()
    entries = member.history.count()
    bump_version(Member, member.pk)
    member.refresh_from_db()
    assert member.version == 2 and member.history.count() == entries


class _ProfileForm(forms.Form):
    lead_department = forms.CharField(label="Lead department", required=False)
    kind = forms.ChoiceField(label="Kind", choices=MemberKind.choices)
    population = forms.IntegerField(label="Population", required=False)


def test_it_lists_the_fields_that_differ_as_a_person_reads_them():
    form = _ProfileForm({"lead_department": "", "kind": MemberKind.JOINT, "population": "0"})
    assert form.is_valid()
    with translation.override("de"):
        rows = conflict_rows(form, {"lead_department": None, "kind": MemberKind.CITY, "population": None})
    # An empty text and "not stated" are the same; 0 is a value.
    assert rows == [
        {"label": "Kind", "theirs": "Stadt", "mine": "Gemeinsame Mitgliedschaft"},
        {"label": "Population", "theirs": "—", "mine": "0"},
    ]


def test_it_saves_many_rows_each_against_its_own_version_and_leaves_a_stale_one(django_assert_max_num_queries):
    from django.db import transaction

    from core.versioning import create_versioned_many, save_versioned_many

    editor = UserFactory()
    created = create_versioned_many(
        [Member(name=f"Neu {n}", slug=f"neu-{n}", kind=MemberKind.CITY, country="DE") for n in range(3)], by=editor
    )
    assert [m.history.get().history_user for m in created] == [editor] * 3
    stale = Member.objects.get(pk=created[2].pk)
    save_versioned(stale, expected_version=1)  # someone else saves the third meanwhile
    rows = list(Member.objects.filter(pk__in=[m.pk for m in created]).order_by("pk"))
    for row in rows:
        row.lead_department = "Gemeinsam"
    with transaction.atomic(), django_assert_max_num_queries(5):
        saved, conflicts = save_versioned_many(rows, expected_versions={m.pk: 1 for m in rows}, fields=["lead_department"], by=editor)
    assert [m.pk for m in saved] == [rows[0].pk, rows[1].pk] and [m.pk for m in conflicts] == [rows[2].pk]
    stored = {m.pk: m for m in Member.objects.filter(pk__in=[m.pk for m in rows])}
    assert [(stored[m.pk].lead_department, stored[m.pk].version) for m in rows] == [("Gemeinsam", 2), ("Gemeinsam", 2), ("", 2)]
    assert stored[rows[0].pk].history.first().history_user == editor


def _stale_profile(member: Member, **typed) -> Member:
    """The member as a profile form opened at `member`'s version saves it, with the user's typed values."""
    from members.forms import MemberProfileForm

    stored = Member.objects.get(pk=member.pk)
    data = {"description": member.description, "content_language": member.content_language or "de",
            "lead_department": member.lead_department, "website": member.website,
            "population": "" if member.population is None else member.population, "version": member.version, **typed}
    form = MemberProfileForm(data, instance=stored)
    assert form.is_valid(), form.errors
    return form.save(commit=False)


def test_it_merges_a_stale_save_that_changes_other_fields_than_the_colleague():
    member = MemberFactory(lead_department="Alt", description="Alt")
    opened = Member.objects.get(pk=member.pk)
    colleague = Member.objects.get(pk=member.pk)
    colleague.lead_department = "Vom Kollegen"
    save_versioned(colleague, expected_version=1)
    mine = _stale_profile(opened, description="Von mir")
    save_versioned(mine, expected_version=1)
    member.refresh_from_db()
    assert (member.lead_department, member.description, member.version) == ("Vom Kollegen", "Von mir", 3)


def test_it_refuses_a_stale_save_of_a_field_both_changed_and_names_only_that_field():
    member = MemberFactory(lead_department="Alt", description="Alt")
    opened = Member.objects.get(pk=member.pk)
    colleague = Member.objects.get(pk=member.pk)
    colleague.lead_department, colleague.website = "Vom Kollegen", "https://example.org/kollege"
    save_versioned(colleague, expected_version=1)
    with pytest.raises(EditConflict) as raised:
        save_versioned(_stale_profile(opened, lead_department="Von mir", description="Von mir"), expected_version=1)
    assert (raised.value.fields, raised.value.theirs) == (["lead_department"], ["website"])
    member.refresh_from_db()
    assert (member.lead_department, member.description, member.version) == ("Vom Kollegen", "Alt", 2)


def test_it_takes_the_state_before_a_bare_version_bump_as_the_base():
    member = MemberFactory(lead_department="Alt")
    bump_version(Member, member.pk)  # a contact changed: no values of the member itself
    assert base_state(Member.objects.get(pk=member.pk), 2).lead_department == "Alt"
    assert base_state(Member.objects.get(pk=member.pk), 0) is None


def test_it_refuses_the_whole_form_when_the_history_does_not_know_the_version_opened():
    member = MemberFactory(lead_department="Alt", description="Alt")
    opened = Member.objects.get(pk=member.pk)
    colleague = Member.objects.get(pk=member.pk)
    colleague.lead_department = "Vom Kollegen"
    save_versioned(colleague, expected_version=1)
    member.history.update(version=0)  # recorded before the history kept versions
    with pytest.raises(EditConflict) as raised:
        save_versioned(_stale_profile(opened, description="Von mir"), expected_version=1)
    assert raised.value.fields is None


def test_it_names_who_saved_last_in_german_local_time():
    import datetime as dt

    editor = UserFactory(first_name="Erika", last_name="Muster")
    member = MemberFactory()
    member.lead_department = "Neu"
    save_versioned(member, expected_version=1, by=editor)
    member.history.filter(version=2).update(history_date=dt.datetime(2026, 12, 7, 13, 3, tzinfo=dt.timezone.utc))
    with translation.override("de"):
        assert saved_by(member) == "Gespeichert von Erika Muster am 07.12.2026 um 14:03"


def test_it_puts_the_colleagues_values_into_the_form_data_for_the_fields_only_they_changed():
    from django.http import QueryDict

    from members.forms import MemberProfileForm

    member = MemberFactory(population=1000, website="https://example.org/alt")
    member.population, member.website = 2000, ""
    form = MemberProfileForm(instance=member)
    posted = QueryDict("description=Mine&population=1000&website=https%3A%2F%2Fexample.org%2Falt&version=1")
    data = rebased_data(posted, form, 7, member, ["population", "website"])
    # As the German form shows a stored figure: grouped, as it would be typed.
    assert (data["description"], data["population"], data["website"], data["version"]) == ("Mine", "2.000", "", "7")
