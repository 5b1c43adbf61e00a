"""Shared by the permission matrices of the apps: the six kinds of user and how an outcome is checked."""

# "staff" is the secretariat (the "Secretariat" group); "bare_staff" is staff without any permission.
PERSONAS = ["anonymous", "outsider", "dresden_editor", "dresden_lead", "staff", "bare_staff"]
LOGIN = "login"  # a redirect to the portal's login page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's login page


def assert_outcome(response, expected, context: tuple = ()) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, context
        assert response.headers["Location"].startswith("/de/accounts/login/?next="), context
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login/"), context
    else:
        assert response.status_code == expected, (*context, response.status_code)
