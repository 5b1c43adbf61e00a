"""Model fields every app uses."""

from __future__ import annotations

from django.db import migrations, models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class BoundedTextField(models.TextField):
    """Free text with a limit: shown in the form (maxlength and the help text), checked by the form, and enforced
    by the database (a CHECK on char_length), so neither the admin, a script nor a bug can store a megabyte."""

    def __init__(self, *args, max_length: int, **kwargs) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)

    def db_check(self, connection) -> str:
        return f'char_length("{self.column}") <= {int(self.max_length)}'

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        # Lazy: model forms build their fields at import, before any request chose a language.
        limit = format_lazy(_("At most {count} characters."), count=self.max_length)
        field.help_text = format_lazy("{} {}", field.help_text, limit) if field.help_text else limit
        return field


class EnforceTextLimits(migrations.operations.base.Operation):
    """(Re)writes the database CHECK of every BoundedTextField of a model, with its current limit.

    Django writes a field's check when it creates a column, but its AlterField compares only the checks of the
    built-in field types, so it neither adds this one to an existing TextField nor changes it with max_length.
    Place this operation after such AlterFields. Idempotent: the check has a fixed name and is replaced."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def state_forwards(self, app_label, state) -> None:
        pass

    def _checks(self, app_label, state, schema_editor):
        model = state.apps.get_model(app_label, self.model_name)
        for field in model._meta.local_fields:
            if isinstance(field, BoundedTextField):
                name = f"{model._meta.db_table}_{field.column}_check"[:63]
                yield model._meta.db_table, name, field.db_check(schema_editor.connection)

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        for table, name, check in self._checks(app_label, to_state, schema_editor):
            schema_editor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')
            schema_editor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" CHECK ({check})')

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        for table, name, _check in self._checks(app_label, from_state, schema_editor):
            schema_editor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')

    def describe(self) -> str:
        return f"Enforce the text limits of {self.model_name} in the database"

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {}
