import datetime as dt

import factory
from factory.django import DjangoModelFactory

from members.models import (
    ApplicationStatus,
    MembershipApplication,
    Authority,
    Contact,
    CoordinatorAssignment,
    CoordinatorRole,
    Member,
    MemberKind,
    MemberStatus,
    Network,
    NetworkMembership,
    Source,
    User,
    WorkingGroup,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    publisher = "Testverlag"
    title = factory.Sequence(lambda n: f"Quelle {n}")


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Teststadt {n}")
    slug = factory.Sequence(lambda n: f"teststadt-{n}")
    kind = MemberKind.CITY
    country = "DE"
    status = MemberStatus.MEMBER


class AuthorityFactory(DjangoModelFactory):
    class Meta:
        model = Authority

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Behörde {n}")
    kind = Authority.Kind.CITY


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    email = "kontakt@example.org"


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = CoordinatorAssignment

    user = factory.SubFactory(UserFactory)
    member = factory.SubFactory(MemberFactory)
    role = CoordinatorRole.EDITOR


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Netzwerk {n}")


class NetworkMembershipFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    member = factory.SubFactory(MemberFactory)
    network = factory.SubFactory(NetworkFactory)


class WorkingGroupFactory(DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    slug = factory.Sequence(lambda n: f"group-{n}")
    name_de = factory.Sequence(lambda n: f"Arbeitsgruppe {n}")
    name_en = factory.Sequence(lambda n: f"Working group {n}")


class ApplicationFactory(DjangoModelFactory):
    """A confirmed application of a joint membership, with its applicant member (as `confirm()` leaves it)."""

    class Meta:
        model = MembershipApplication

    status = ApplicationStatus.CONFIRMED
    name = "Stadt Mölln und Amt Breitenfelde"
    authorities = factory.LazyFunction(lambda: [{"name": "Stadt Mölln", "kind": "city"}, {"name": "Amt Breitenfelde", "kind": "amt"}])
    kind = MemberKind.JOINT
    country = "DE"
    contact_name = "Paula Probst"
    contact_email = "paula.probst@example.org"
    contact_consent = True
    council_decision_expected_on = factory.LazyFunction(lambda: dt.date(2027, 6, 1))
    motivation = "Wir wollen Rassismus strukturell begegnen."
    language = "de"
    confirmation_digest = factory.Sequence(lambda n: f"{n:064d}")
    member = factory.SubFactory(MemberFactory, status=MemberStatus.APPLICANT, name="Stadt Mölln und Amt Breitenfelde", kind=MemberKind.JOINT)
