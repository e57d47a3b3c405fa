"""The calendar: list and month view for everyone, detail, and the organisers' editing."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles
from bfe.core.page_cache import cache_public_page
from bfe.core.pagination import paginate
from bfe.core.views import public

from .. import selectors
from ..filters import EventFilter
from ..forms.catalog import CancelEventForm, EventForm, SeriesForm, SeriesUntilForm
from ..models import Event, Series
from ..services import catalog as services
from ..services import series as series_services
from .registration import registration_box_context

FILTER_PARAMS = ("kind", "region")


def _calendar_context(request, event_filter):
    """What list and month share: staff buttons and the filters to carry between them."""
    query = {name: request.GET[name] for name in FILTER_PARAMS if request.GET.get(name)}
    valid = event_filter.is_valid()
    return {
        "can_create": Roles.of(request.user).is_bfe_staff,
        "filter_query": urlencode(query),
        "selected_region": event_filter.form.cleaned_data.get("region") if valid else None,
    }


def _weekdays():
    return [
        (_("Mo"), _("Montag")),
        (_("Di"), _("Dienstag")),
        (_("Mi"), _("Mittwoch")),
        (_("Do"), _("Donnerstag")),
        (_("Fr"), _("Freitag")),
        (_("Sa"), _("Samstag")),
        (_("So"), _("Sonntag")),
    ]


@public
@cache_public_page
def event_list(request):
    event_filter = EventFilter(
        request.GET, queryset=selectors.upcoming_events(request.user), request=request
    )
    page = paginate(request, event_filter.qs, settings.DIRECTORY_PAGE_SIZE)
    today = timezone.localdate()
    context = {
        "filter": event_filter,
        "page": page,
        "months": selectors.group_by_month(page.object_list),
        "this_month": today.replace(day=1),
        **_calendar_context(request, event_filter),
    }
    template = "events/catalog/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@public
@cache_public_page
def event_month(request, year, month):
    if not selectors.is_valid_month(year, month):
        raise Http404
    event_filter = EventFilter(
        request.GET, queryset=selectors.calendar_events(request.user), request=request
    )
    # An invalid filter value shows the unfiltered month rather than nothing.
    events = event_filter.qs if event_filter.is_valid() else event_filter.queryset
    context = {
        "filter": event_filter,
        "month": selectors.month_grid(events, year, month),
        "today": timezone.localdate(),
        "weekdays": _weekdays(),
        "kinds": Event.Kind.choices,
        **_calendar_context(request, event_filter),
    }
    template = "events/catalog/month.html"
    if request.htmx and not request.htmx.boosted:
        template += "#calendar"
    return render(request, template, context)


@public
@cache_public_page
def event_detail(request, pk):
    try:
        event = selectors.event_for_detail(request.user, pk)
    except Event.DoesNotExist:
        raise Http404 from None
    registration = selectors.registration_of(request.user, event)
    can_manage = selectors.can_manage(request.user, event)
    # The registration box's state (open, closed, waitlisted with position …) in one place.
    context = registration_box_context(
        user=request.user, event=event, registration=registration, can_manage=can_manage
    )
    return render(request, "events/catalog/detail.html", context)


def _add_errors(form, error):
    """Errors the service found, on the form's fields where they have one."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def event_create(request):
    if not Roles.of(request.user).is_bfe_staff:
        raise Http404
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(creator=request.user, **form.event_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Die Veranstaltung wurde angelegt."))
            return redirect(event)
    if request.method == "POST":
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    return render(request, "events/catalog/form.html", {"form": form, "event": None})


def event_edit(request, pk):
    event = get_object_or_404(Event.objects.managed_by(request.user), pk=pk)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.update_event(event=event, editor=request.user, **form.event_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect(event)
    if request.method == "POST":
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
        # Validating changed the instance in memory; the page shows the saved title.
        event.refresh_from_db(fields=["title"])
    return render(request, "events/catalog/form.html", {"form": form, "event": event})


def event_cancel(request, pk):
    event = get_object_or_404(Event.objects.managed_by(request.user).with_counts(), pk=pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and not event.is_cancelled and form.is_valid():
        services.cancel_event(event=event, by=request.user, message=form.cleaned_data["message"])
        messages.success(request, _("Die Veranstaltung wurde abgesagt."))
        return redirect(event)
    return render(request, "events/catalog/cancel.html", {"event": event, "form": form})


def series_create(request):
    if not Roles.of(request.user).is_bfe_staff:
        raise Http404
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            series = series_services.create_series(creator=request.user, **form.series_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            count = series.events.count()
            messages.success(
                request,
                _("Die Reihe wurde mit %(count)s Terminen angelegt.") % {"count": count},
            )
            return redirect("events:series_detail", series.pk)
    if request.method == "POST":
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    return render(request, "events/catalog/series_form.html", {"form": form})


def series_detail(request, pk):
    try:
        series = selectors.series_for_detail(request.user, pk)
    except Series.DoesNotExist:
        raise Http404 from None
    form = SeriesUntilForm(request.POST or None, series=series)
    if request.method == "POST" and form.is_valid():
        try:
            result = series_services.update_series_until(
                series=series, until=form.cleaned_data["until"], by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _series_change_message(result))
            return redirect("events:series_detail", series.pk)
    occurrences = selectors.series_occurrences(series)
    now = timezone.now()
    context = {
        "series": series,
        "rule": selectors.describe_rrule(series.rrule),
        "occurrences": occurrences,
        "upcoming_count": sum(1 for event in occurrences if event.ends_at >= now),
        "now": now,
        "form": form,
    }
    return render(request, "events/catalog/series_detail.html", context)


def _series_change_message(result):
    parts = [
        _("Das Ende der Reihe wurde gespeichert."),
        _("%(added)s Termine ergänzt, %(deleted)s gelöscht, %(cancelled)s abgesagt.") % result,
    ]
    return " ".join(parts)
