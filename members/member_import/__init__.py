"""Bringing in existing members from a spreadsheet: the template and the check of every row (sheet.py), and the
import of a checked file, all or nothing (services.py). The admin pages are in members/import_admin.py."""
