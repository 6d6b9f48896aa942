from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_roles(**kwargs) -> None:
    """Create the role groups if missing.

    The data migration makes them once; this repeats it after every migrate
    and after a test-database flush, which would otherwise leave no roles.
    """
    from django.contrib.auth.models import Group

    from accounts.access import ROLES

    for name in ROLES:
        Group.objects.get_or_create(name=name)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="accounts.ensure_roles")
