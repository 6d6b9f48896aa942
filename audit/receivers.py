"""Audit events that arrive as signals: logins, role changes, deletions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from accounts.access import ROLES
from audit.log import record
from history.models import Revision

User = get_user_model()


@receiver(user_logged_in, dispatch_uid="audit.login")
def logged_in(sender, request, user, **kwargs) -> None:
    record(request, "login", target=user.get_username(), actor=user)


@receiver(user_logged_out, dispatch_uid="audit.logout")
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(request, "logout", target=user.get_username(), actor=user)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    # Anonymous by definition: the name tried is the target, never a password.
    record(request, "login.failed", target=username, actor_name="")


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit.roles")
def roles_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "pre_remove", "pre_clear") or reverse:
        return
    if action == "pre_clear":
        names = list(instance.groups.filter(name__in=ROLES).values_list("name", flat=True))
    elif action == "pre_remove":
        # remove() is given every role to drop; record only those the user had.
        held = instance.groups.filter(pk__in=pk_set or [], name__in=ROLES)
        names = list(held.values_list("name", flat=True))
    else:  # post_add: Django leaves out groups the user already had
        names = list(Group.objects.filter(pk__in=pk_set or [], name__in=ROLES).values_list("name", flat=True))
    if not names:
        return
    verb = "role.add" if action == "post_add" else "role.remove"
    record(None, verb, target=instance.get_username(), detail={"roles": sorted(names)})


@receiver(post_save, sender=Revision, dispatch_uid="audit.note_deleted")
def note_deleted(sender, instance: Revision, created: bool, **kwargs) -> None:
    if created and instance.kind == Revision.Kind.DELETE:
        record(
            None,
            "note.delete",
            target=instance.title,
            detail={"note": instance.note_key, "revision": instance.number},
            actor=instance.author,
        )
