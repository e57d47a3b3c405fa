"""Reads of the follow-up pages. Scoping comes from FollowUp.objects.visible_to."""

from django.db.models import Count, Q
from django.utils import timezone

from bfe.accounts.models import Role, User

from ..models import FollowUp


def possible_owners(region_ids):
    """People a follow-up of these regions may be given to: their regional coordinators and
    BfE's project lead."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_set__kind=Role.Kind.REGIONAL_COORDINATOR, role_set__region__in=region_ids)
            | Q(role_set__kind=Role.Kind.ADMIN)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("full_name", "email")
    )


def _with_list_data(follow_ups):
    return follow_ups.select_related("owner", "region", "shelter", "consultation__shelter").defer(
        "consultation__confidential_note"
    )


def open_follow_ups(user, *, mine):
    """Open follow-ups the person sees, soonest due first: her own (`mine`) or all of her
    regions (all for admins)."""
    follow_ups = FollowUp.objects.visible_to(user).open()
    if mine:
        follow_ups = follow_ups.filter(owner=user)
    return _with_list_data(follow_ups).order_by("due_on", "pk")


def open_follow_up_counts(user):
    """Open follow-ups: hers, all she sees, and how many of them are overdue, in one query."""
    today = timezone.localdate()
    return (
        FollowUp.objects.visible_to(user)
        .open()
        .aggregate(
            mine=Count("pk", filter=Q(owner=user)),
            mine_overdue=Count("pk", filter=Q(owner=user, due_on__lt=today)),
            all=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
        )
    )
