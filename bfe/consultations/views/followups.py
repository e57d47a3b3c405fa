"""Follow-ups (Aufgaben) of BfE's staff: my open tasks, my regions' open tasks, new, done."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bfe.core.pagination import paginate
from bfe.core.permissions import require_role
from bfe.places.models import Shelter

from ..forms.followups import FollowUpForm
from ..models import Consultation, FollowUp
from ..selectors import followups as selectors
from ..selectors.outreach import offers_region_choice
from ..services import followups as services
from .requests import add_service_error

REGION = "region"


def _safe_next(request):
    # Callers answer with HttpResponseRedirect, never redirect(): that takes a `next` without
    # "/" or "." for a URL name.
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _pk_or_404(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# Follow-ups are BfE staff's tool; everyone else finds nothing here.
@require_role("bfe_staff")
def followup_list(request):
    """My open follow-ups ("Meine offenen Aufgaben"), or all open ones of my regions."""
    mine = request.GET.get("ansicht") != REGION
    follow_ups = selectors.open_follow_ups(request.user, mine=mine)
    context = {
        "page": paginate(request, follow_ups, settings.DIRECTORY_PAGE_SIZE),
        "mine": mine,
        "show_region": offers_region_choice(request.user),
        "counts": selectors.open_follow_up_counts(request.user),
    }
    return render(request, "consultations/followups/list.html", context)


def _anchor_from_query(request):
    """The shelter and/or consultation named by ?shelter= / ?consultation=, each only within
    what the person may edit (404 otherwise)."""
    shelter = consultation = None
    if "consultation" in request.GET:
        consultation = get_object_or_404(
            Consultation.objects.editable_by(request.user)
            .select_related("shelter__district", "region")
            .defer("confidential_note"),
            pk=_pk_or_404(request.GET["consultation"]),
        )
    if "shelter" in request.GET:
        shelter = get_object_or_404(
            Shelter.objects.editable_by(request.user).select_related("district"),
            pk=_pk_or_404(request.GET["shelter"]),
        )
    return shelter, consultation


@require_role("bfe_staff")
def followup_create(request):
    shelter, consultation = _anchor_from_query(request)
    anchored = bool(shelter or consultation)
    if consultation:
        anchor_region = consultation.region
    elif shelter:
        anchor_region = shelter.current_region()
    else:
        anchor_region = None
    form = FollowUpForm(
        request.POST or None, user=request.user, anchored=anchored, anchor_region=anchor_region
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = services.create_follow_up(
                title=data["title"],
                due_on=data["due_on"],
                owner=data["owner"],
                created_by=request.user,
                shelter=shelter or data.get("shelter"),
                consultation=consultation,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Die Aufgabe „%(title)s“ ist angelegt, fällig am %(date)s.")
                % {
                    "title": follow_up.title,
                    "date": formats.date_format(follow_up.due_on, "SHORT_DATE_FORMAT"),
                },
            )
            return HttpResponseRedirect(_safe_next(request) or reverse("consultations:followups"))
    context = {
        "form": form,
        "shelter": shelter or (consultation.shelter if consultation else None),
        "consultation": consultation,
        "next": _safe_next(request),
    }
    return render(request, "consultations/followups/form.html", context)


@require_POST
@require_role("bfe_staff")
def followup_done(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk)
    services.complete_follow_up(follow_up=follow_up, by=request.user)
    messages.success(request, _("Erledigt: „%(title)s“.") % {"title": follow_up.title})
    return HttpResponseRedirect(_safe_next(request) or reverse("consultations:followups"))
