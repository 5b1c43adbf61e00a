from __future__ import annotations

from members.models import CoordinatorAssignment, CoordinatorRole, Member, User


def coordinator_add(
    *, username: str, member: Member, lead: bool = False, email: str | None = None, password: str | None = None
) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(username=username, defaults={"email": email or ""})
    if email is not None and user.email != email:
        user.email = email
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()  # they set one through "forgotten password"
    user.save()
    role = CoordinatorRole.LEAD if lead else CoordinatorRole.EDITOR
    CoordinatorAssignment.objects.update_or_create(user=user, member=member, defaults={"role": role})
    return user, created
