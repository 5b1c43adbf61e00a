"""The reports' admin: the report with its review steps and documents (report.py), the errata of published
reports (errata.py), deleted drafts and corrected periods (deletions.py), and the member list's report deadline (members.py)."""

from reports.admin import deletions, errata, members, report  # noqa: F401 - registers the admin classes
