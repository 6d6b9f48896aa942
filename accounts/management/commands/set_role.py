from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.access import ADMINS, EDITORS, READERS

ROLE_GROUPS = {"reader": READERS, "editor": EDITORS, "admin": ADMINS}


class Command(BaseCommand):
    help = "Give a user one role (reader, editor, admin), or none; --create makes the account first."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[*ROLE_GROUPS, "none"])
        parser.add_argument("--create", action="store_true", help="create the user if missing")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="with --create: read the password from this environment variable instead of a prompt",
        )

    @transaction.atomic
    def handle(self, username: str, role: str, create: bool, password_from_env: str | None, **options):
        import os

        from django.contrib.auth.password_validation import validate_password

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            if not create:
                raise CommandError(f"no user named {username!r} (add --create to make one)")
            if password_from_env:
                password = os.environ.get(password_from_env, "")
                if not password:
                    raise CommandError(f"environment variable {password_from_env} is empty or unset")
            else:
                if not sys.stdin.isatty():
                    raise CommandError("no terminal to ask for the password: use --password-from-env NAME")
                password = getpass.getpass(f"Password for {username}: ")
            user = User(username=username)
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            user.set_password(password)
            user.save()
            self.stdout.write(f"created user {username}")
        groups = Group.objects.filter(name__in=ROLE_GROUPS.values())
        if len(groups) != len(ROLE_GROUPS):
            raise CommandError("role groups are missing; run 'manage.py migrate' first")
        user.groups.remove(*groups)
        if role != "none":
            user.groups.add(groups.get(name=ROLE_GROUPS[role]))
        self.stdout.write(f"{username}: {role}")
