import datetime as dt

import factory
from factory.django import DjangoModelFactory

from members.tests.factories import MemberFactory, UserFactory
from reports.models import ImplementationReport, ReportDocument, ReportDraft, ReportStatus


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = ImplementationReport

    member = factory.SubFactory(MemberFactory)
    period_start = dt.date(2023, 1, 1)
    period_end = dt.date(2024, 12, 31)
    status = ReportStatus.DRAFT


class ReportDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ReportDocument

    report = factory.SubFactory(ReportFactory)
    language = "de"
    title = "Bericht"


class ReportDraftFactory(DjangoModelFactory):
    class Meta:
        model = ReportDraft

    report = factory.SubFactory(ReportFactory)
    user = factory.SubFactory(UserFactory)
    base_version = factory.SelfAttribute("report.version")
    narratives = factory.LazyFunction(dict)
