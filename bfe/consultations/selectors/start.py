"""Reads for the start page (`bfe.consultations.dashboard`): short, bounded lists; each page
behind them has the rest."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Count, F, Q, Subquery, Value, When

from bfe.accounts.models import Roles
from bfe.places.models import today

from ..models import Consultation, ConsultationRequest, FollowUp
from .outreach import OUTREACH_MONTHS_DEFAULT, shelters_without_recent_contact, vacant_shelters

START_LIST_LIMIT = 5
# Next steps are paragraphs: fewer of them fit the start page.
NEXT_STEPS_LIMIT = 3
# Next steps agreed this long ago or less count as still open on the coordinator's start page.
NEXT_STEPS_MONTHS = 6
# Follow-ups due within this many days (and the overdue ones) are listed on the start page.
FOLLOW_UPS_DUE_DAYS = 7
# Vacancies are counted up to here; beyond, the start page says "more than".
VACANCY_COUNT_LIMIT = 100


def agreed_next_steps_for(user, *, on=None, limit=NEXT_STEPS_LIMIT):
    """Next steps agreed in the last NEXT_STEPS_MONTHS months in consultations at the shelters
    the person coordinates in which she took part, newest first, with the shelter. Scoped by
    `Consultation.objects.visible_to`; the confidential note is never loaded. One query."""
    roles = Roles.of(user)
    if not roles.shelter_ids:
        return []
    since = (on or today()) - relativedelta(months=NEXT_STEPS_MONTHS)
    consultations = (
        Consultation.objects.visible_to(user)
        .filter(participants=user, shelter__in=roles.shelter_ids, held_on__gte=since)
        .exclude(next_steps="")
        .select_related("shelter")
        .only("pk", "held_on", "format", "next_steps", "shelter__name")
        .order_by("-held_on", "-pk")
    )
    return list(consultations[:limit])


def open_requests_for_start(user, *, limit=START_LIST_LIMIT):
    """Open and scheduled requests the person answers (her regions'; all for admins): the
    first `limit`, open before scheduled, urgent first, then those waiting longest; and the
    number per region. Two queries; the count reads only open requests, an indexed status."""
    Status, Urgency = ConsultationRequest.Status, ConsultationRequest.Urgency
    requests = ConsultationRequest.objects.answerable_by(user).open()
    status_rank = Case(When(status=Status.OPEN, then=Value(0)), default=Value(1))
    urgency_rank = Case(
        When(urgency=Urgency.URGENT, then=Value(0)),
        When(urgency=Urgency.SOON, then=Value(1)),
        default=Value(2),
    )
    order = ("status_rank", "urgency_rank", "created_at", "pk")
    ranked = requests.annotate(status_rank=status_rank, urgency_rank=urgency_rank).order_by(*order)
    # The few first are ranked alone, then joined to their shelters: joining every open
    # request of the country to its shelter before sorting cost more than the sort.
    rows = (
        ConsultationRequest.objects.filter(pk__in=Subquery(ranked.values("pk")[:limit]))
        .select_related("shelter__district", "region")
        .annotate(status_rank=status_rank, urgency_rank=urgency_rank)
        .order_by(*order)
    )
    by_region = list(
        requests.order_by()
        .values("region__name")
        .annotate(count=Count("pk"), open=Count("pk", filter=Q(status=Status.OPEN)))
        .order_by("region__name")
    )
    return {
        "requests": list(rows),
        "by_region": by_region,
        "count": sum(row["count"] for row in by_region),
    }


def follow_ups_due_for(user, *, on=None, limit=START_LIST_LIMIT):
    """The person's own open follow-ups that are overdue or due within FOLLOW_UPS_DUE_DAYS,
    soonest first, with shelter; and how many there are and how many are overdue. Scoped by
    `FollowUp.objects.visible_to`. Two queries, both bounded by the person's own tasks."""
    on = on or today()
    due = (
        FollowUp.objects.visible_to(user)
        .open()
        .filter(owner=user, due_on__lte=on + datetime.timedelta(days=FOLLOW_UPS_DUE_DAYS))
    )
    rows = due.select_related("shelter", "consultation__shelter").defer(
        "consultation__confidential_note"
    )
    counts = due.aggregate(count=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=on)))
    return {
        "follow_ups": list(rows.order_by("due_on", "pk")[:limit]),
        "count": counts["count"],
        "overdue": counts["overdue"],
        "today": on,
        "days": FOLLOW_UPS_DUE_DAYS,
    }


def outreach_top_for(user, *, on=None, limit=START_LIST_LIMIT):
    """The top of the outreach list: the few open shelters of the person's regions that nobody
    reached in OUTREACH_MONTHS_DEFAULT months, never reached first, then those reached longest
    ago, then the largest. One query; it reads every open shelter of her regions."""
    shelters = shelters_without_recent_contact(user, on=on).order_by(
        F("last_contact_on").asc(nulls_first=True), "-residents", "name", "pk"
    )
    return {"shelters": list(shelters[:limit]), "months": OUTREACH_MONTHS_DEFAULT}


def vacancies_for_start(user, *, on=None, limit=START_LIST_LIMIT):
    """Open shelters of the person's regions (admins: all) whose coordinator post is vacant:
    the first `limit`, most residents first, and their number counted up to
    VACANCY_COUNT_LIMIT (`more_than` says that there are more). Two queries."""
    vacancies = vacant_shelters(user, on=on)
    counted = vacancies.order_by()[: VACANCY_COUNT_LIMIT + 1].count()
    return {
        "shelters": list(vacancies[:limit]),
        "count": min(counted, VACANCY_COUNT_LIMIT),
        "more_than": counted > VACANCY_COUNT_LIMIT,
    }
