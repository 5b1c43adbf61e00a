"""Login, logout, password change and password reset by email: Django's auth views in the portal's design."""

import re

import pytest

from members.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_it_logs_in_to_the_dashboard_and_out_to_the_home_page(client, dresden_lead):
    response = client.post("/en/accounts/login/", {"username": "dresden-lead", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/dashboard/"
    assert "Landeshauptstadt Dresden" in response.content.decode()
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/en/dashboard/").status_code == 302


def test_it_changes_the_password(client, dresden_editor):
    client.force_login(dresden_editor)
    assert client.get("/de/accounts/password/change/").status_code == 200
    data = {"old_password": PASSWORD, "new_password1": "ein-neues-langes-Passwort-2026", "new_password2": "ein-neues-langes-Passwort-2026"}
    response = client.post("/de/accounts/password/change/", data)
    assert response.headers["Location"] == "/de/accounts/password/change/done/"
    assert User.objects.get(pk=dresden_editor.pk).check_password("ein-neues-langes-Passwort-2026")


def test_it_refuses_a_password_change_with_a_wrong_old_password(client, dresden_editor):
    client.force_login(dresden_editor)
    data = {"old_password": "falsch", "new_password1": "ein-neues-langes-Passwort-2026", "new_password2": "ein-neues-langes-Passwort-2026"}
    response = client.post("/en/accounts/password/change/", data)
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert User.objects.get(pk=dresden_editor.pk).check_password(PASSWORD)


def test_it_resets_a_forgotten_password_by_email(client, dresden_lead, mailoutbox):
    response = client.post("/de/accounts/password/reset/", {"email": dresden_lead.email})
    assert response.headers["Location"] == "/de/accounts/password/reset/done/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [dresden_lead.email]
    assert "dresden-lead" in mail.body
    link = re.search(r"https?://[^/]+(/de/accounts/password/reset/\S+/)", mail.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "vergessen-und-neu-2026", "new_password2": "vergessen-und-neu-2026"})
    assert response.headers["Location"] == "/de/accounts/password/reset/complete/"
    assert User.objects.get(pk=dresden_lead.pk).check_password("vergessen-und-neu-2026")


def test_it_sends_no_mail_for_an_unknown_address_and_does_not_say_so(client, db, mailoutbox):
    response = client.post("/en/accounts/password/reset/", {"email": "niemand@example.org"})
    assert response.headers["Location"] == "/en/accounts/password/reset/done/"
    assert mailoutbox == []


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"])
def test_it_never_redirects_to_another_site_after_login(client, dresden_lead, target):
    response = client.post(f"/en/accounts/login/?next={target}", {"username": "dresden-lead", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/dashboard/"


def test_it_logs_out_only_by_post(client, dresden_lead):
    client.force_login(dresden_lead)
    assert client.get("/en/accounts/logout/").status_code == 405
    assert client.get("/en/dashboard/").status_code == 200


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("de", "Der Benutzername oder das Passwort ist falsch."),
        ("en", "The user name or the password is wrong."),
    ],
)
def test_it_says_plainly_that_the_user_name_or_password_was_wrong(client, dresden_lead, lang, message):
    response = client.post(f"/{lang}/accounts/login/", {"username": "dresden-lead", "password": "falsch"})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and 'value="dresden-lead"' in body
    assert "_auth_user_id" not in client.session
