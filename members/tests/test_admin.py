import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (m._meta.app_label, m._meta.model_name)
    for m in admin.site._registry
    if m._meta.app_label in {"members", "actionplan", "reports"}
)


def test_it_registers_every_domain_model():
    domain = {
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if m._meta.app_label in {"members", "actionplan", "reports"} and not m._meta.model_name.startswith("historical")
        and m._meta.model_name not in {"workinggroupparticipation", "reportnarrative", "reporttransition"}  # inlines
    }
    assert domain <= set(REGISTERED)


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_it_loads_each_changelist_for_staff(client, staff, seeded, app_label, model_name, django_assert_max_num_queries):
    client.force_login(staff)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_it_redirects_anonymous_users_to_the_admin_login(client, app_label, model_name):
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_it_refuses_a_coordinator(client, dresden_lead):
    client.force_login(dresden_lead)
    response = client.get(reverse("admin:members_member_changelist"))
    assert response.status_code == 302


def test_it_opens_the_member_change_form_with_inlines(client, staff, seeded):
    from members.models import Member

    client.force_login(staff)
    member = Member.objects.get(slug="ratzeburg-amt-lauenburgische-seen")
    body = client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    assert "Amt Lauenburgische Seen" in body
    assert "authorities-TOTAL_FORMS" in body and "contacts-TOTAL_FORMS" in body and "assignments-TOTAL_FORMS" in body
