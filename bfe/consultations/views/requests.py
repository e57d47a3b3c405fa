"""Consultation requests: a coordinator asks; her region's coordinators schedule or decline."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bfe.core.pagination import paginate
from bfe.core.permissions import require_role

from ..forms.requests import ConsultationRequestForm, DeclineForm, InboxFilterForm, ScheduleForm
from ..models import ConsultationRequest
from ..selectors import requests as selectors
from ..services import requests as services

MINE = "meine"


def add_service_error(form, error):
    """Show a service's ValidationError at the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_role("bfe_staff", "coordinator")
def request_list(request):
    """The regional coordinators' inbox, or a coordinator's own requests ("Meine Anfragen")."""
    lists = selectors.request_lists(request.user)
    if lists.own_first or (lists.own and request.GET.get("ansicht") == MINE):
        page = paginate(
            request, selectors.requests_of_coordinator(request.user), settings.DIRECTORY_PAGE_SIZE
        )
        return render(
            request, "consultations/requests/mine.html", {"page": page, "also_staff": lists.inbox}
        )
    filters = InboxFilterForm(request.GET)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = paginate(
        request, selectors.inbox_for(request.user, status=status), settings.DIRECTORY_PAGE_SIZE
    )
    counts = selectors.inbox_counts(request.user)
    tabs = [("", _("Alle"), counts["all"])] + [
        (value, label, counts[value]) for value, label in ConsultationRequest.Status.choices
    ]
    context = {
        "page": page,
        "status": status,
        "tabs": tabs,
        "also_coordinator": lists.own,
    }
    return render(request, "consultations/requests/inbox.html", context)


@require_role("coordinator")
def request_create(request):
    form = ConsultationRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            consultation_request = services.request_consultation(
                requested_by=request.user, **form.cleaned_data
            )
        except services.DuplicateRequest as duplicate:
            messages.info(request, duplicate.message)
            return redirect(duplicate.existing)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Ihre Anfrage ist bei der Regionalkoordination %(region)s eingegangen. Sie "
                    "erhalten eine E-Mail, sobald ein Termin steht."
                )
                % {"region": consultation_request.region.name},
            )
            return redirect(consultation_request)
    if form.errors:
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    return render(request, "consultations/requests/form.html", {"form": form})


def request_detail(request, pk):
    try:
        consultation_request = selectors.request_for_detail(request.user, pk)
    except ConsultationRequest.DoesNotExist:
        raise Http404 from None
    context = {
        "item": consultation_request,
        "can_answer": selectors.can_answer(request.user, consultation_request),
    }
    return render(request, "consultations/requests/detail.html", context)


def _answerable_or_404(request, pk):
    """The request if the person may answer it; back to its page if it is closed already."""
    consultation_request = get_object_or_404(
        ConsultationRequest.objects.answerable_by(request.user).select_related(
            "shelter__district", "region", "requested_by"
        ),
        pk=pk,
    )
    if consultation_request.status not in selectors.ANSWERABLE_STATUSES:
        messages.info(
            request,
            _("Diese Anfrage ist bereits %(status)s.")
            % {"status": consultation_request.get_status_display()},
        )
        return consultation_request, redirect(consultation_request)
    return consultation_request, None


def _requester_name(consultation_request):
    requester = consultation_request.requested_by
    return requester.get_full_name() if requester else _("die anfragende Person")


def request_schedule(request, pk):
    consultation_request, closed = _answerable_or_404(request, pk)
    if closed:
        return closed
    form = ScheduleForm.for_request(consultation_request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        scheduled_for = form.cleaned_data["scheduled_for"]
        try:
            services.schedule_request(
                request=consultation_request, by=request.user, scheduled_for=scheduled_for
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Der Termin am %(when)s ist eingetragen; %(name)s erhält eine E-Mail.")
                % {
                    "when": formats.date_format(
                        timezone.localtime(scheduled_for), "SHORT_DATETIME_FORMAT"
                    ),
                    "name": _requester_name(consultation_request),
                },
            )
            return redirect(consultation_request)
    return render(
        request,
        "consultations/requests/schedule.html",
        {"item": consultation_request, "form": form},
    )


def request_decline(request, pk):
    consultation_request, closed = _answerable_or_404(request, pk)
    if closed:
        return closed
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_request(
                request=consultation_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Die Anfrage ist abgesagt; %(name)s erhält die Begründung per E-Mail.")
                % {"name": _requester_name(consultation_request)},
            )
            return redirect(consultation_request)
    return render(
        request,
        "consultations/requests/decline.html",
        {"item": consultation_request, "form": form},
    )
