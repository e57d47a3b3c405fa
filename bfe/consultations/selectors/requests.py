"""Reads of the request pages. Scoping comes from the QuerySet methods of the model."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When

from bfe.accounts.models import Roles

from ..models import Consultation, ConsultationRequest

Status = ConsultationRequest.Status
Urgency = ConsultationRequest.Urgency
# Requests in these states can still be scheduled, declined or answered.
ANSWERABLE_STATUSES = (Status.OPEN, Status.SCHEDULED)

_STATUS_RANK = Case(
    When(status=Status.OPEN, then=Value(0)),
    When(status=Status.SCHEDULED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_URGENCY_RANK = Case(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.SOON, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class RequestLists:
    """Which request lists a person has: her own requests (`own`, a coordinator's), the inbox
    of her regions (`inbox`, BfE staff's); `own_first` when her own are all she has."""

    own: bool
    inbox: bool

    @property
    def own_first(self):
        return self.own and not self.inbox


def request_lists(user):
    """The request lists of the person's roles (see RequestLists)."""
    roles = Roles.of(user)
    return RequestLists(own=roles.is_coordinator, inbox=roles.is_bfe_staff)


def _answers():
    """The consultation that answered a request, with only what the requester may see.

    The confidential note is never loaded here, whoever looks.
    """
    return Consultation.objects.only(
        "pk", "request_id", "held_on", "format", "next_steps"
    ).prefetch_related("topics")


def _with_list_data(requests):
    return requests.select_related("shelter__district", "region", "requested_by").prefetch_related(
        "topics", Prefetch("consultation", queryset=_answers())
    )


def inbox_for(user, *, status=None):
    """Requests the person answers (her regions'; all for admins): open and scheduled first,
    urgent first, newest first within each."""
    requests = ConsultationRequest.objects.answerable_by(user)
    if status:
        requests = requests.filter(status=status)
    return _with_list_data(requests).order_by(_STATUS_RANK, _URGENCY_RANK, "-created_at", "-pk")


def inbox_counts(user):
    """Number of requests per status in the person's inbox, in one query."""
    return ConsultationRequest.objects.answerable_by(user).aggregate(
        all=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in Status},
    )


def requests_of_coordinator(user):
    """Requests the person sent and those of the shelters she coordinates, newest first."""
    own = Q(requested_by=user) | Q(shelter__in=Roles.of(user).shelter_ids)
    return _with_list_data(ConsultationRequest.objects.visible_to(user).filter(own)).order_by(
        "-created_at", "-pk"
    )


def request_for_detail(user, pk):
    """One request as the person may see it; DoesNotExist outside her scope."""
    return (
        _with_list_data(ConsultationRequest.objects.visible_to(user))
        .select_related("answered_by")
        .get(pk=pk)
    )


def can_answer(user, consultation_request):
    """Whether the person may still schedule, decline or answer the request."""
    return (
        consultation_request.status in ANSWERABLE_STATUSES
        and ConsultationRequest.objects.answerable_by(user)
        .filter(pk=consultation_request.pk)
        .exists()
    )
