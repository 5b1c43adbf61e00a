from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    # How the secretariat runs the coalition: its work queue and announcements. It reads the domain apps
    # (members, actionplan, reports), and none of them imports it.
    name = "secretariat"
    verbose_name = _("Secretariat")
