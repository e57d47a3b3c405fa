"""Shift pages: a coordinator's shifts of an opportunity (create, edit one or all following,
cancel, assign), and a volunteer's "my shifts", by account or by her personal link, with its
private iCal feed. The rules live in services/shifts.py; reads are scoped by the QuerySets."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache

from bfe.core.pagination import paginate
from bfe.core.ratelimits import limit_failed_lookups
from bfe.core.views import public

from .. import shifts_ical
from ..forms.shifts import AssignForm, ShiftCreateForm, ShiftEditForm
from ..models import Opportunity, Shift, ShiftSignup, Volunteer
from ..services import links
from ..services import shifts as services

Status = ShiftSignup.Status
PAGE_SIZE = 30
OPEN_PAGE_SIZE = 20


def _aware(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _id(value):
    """A posted id as a number (0 for anything else), so that bad input finds nothing."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else 0


def _first_error(error):
    return error.messages[0] if error.messages else str(error)


# --- Coordinators -----------------------------------------------------------------------------


def shifts_list(request, pk):
    """/freiwillige/angebote/<pk>/einsaetze/: the opportunity's coming shifts and a form for a
    new one (one-off or weekly)."""
    opportunity = get_object_or_404(
        Opportunity.objects.managed_by(request.user).select_related("shelter"), pk=pk
    )
    form = ShiftCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                text = _create(opportunity, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, _first_error(error))
            else:
                messages.success(request, text)
                return redirect(request.path)
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    now = timezone.now()
    shifts = (
        Shift.objects.filter(opportunity=opportunity, ends_at__gte=now)
        .select_related("series")
        .order_by("starts_at", "pk")
    )
    context = {
        "opportunity": opportunity,
        "form": form,
        "page": paginate(request, shifts, PAGE_SIZE),
    }
    return render(request, "volunteering/shifts/coordinator_list.html", context)


def _create(opportunity, data):
    if data["repeat"] == ShiftCreateForm.WEEKLY:
        series = services.create_series(
            opportunity=opportunity,
            first_day=data["day"],
            time_from=data["time_from"],
            time_until=data["time_until"],
            slots=data["slots"],
            weekdays=data["weekdays"],
            interval=data["interval"],
            until=data["until"] if data["ends"] == ShiftCreateForm.UNTIL else None,
            count=data["count"] if data["ends"] == ShiftCreateForm.COUNT else None,
            note=data["note"],
        )
        return _("Die Terminreihe ist angelegt: %(count)d Einsätze.") % {
            "count": series.shifts.count()
        }
    services.create_shift(
        opportunity=opportunity,
        starts_at=_aware(data["day"], data["time_from"]),
        ends_at=_aware(data["day"], data["time_until"]),
        slots=data["slots"],
        note=data["note"],
    )
    return _("Der Einsatz ist angelegt.")


def _assignable(shift):
    taken = ShiftSignup.objects.filter(shift=shift, status__in=services.ACTIVE)
    return Volunteer.objects.filter(
        shelter_id=shift.opportunity.shelter_id, stage__in=services.MAY_SIGN_UP
    ).exclude(pk__in=taken.values("volunteer_id"))


def shift_detail(request, pk):
    """/freiwillige/einsaetze/<pk>/: who is signed up and waiting; edit (this one or all
    following), assign a volunteer, take someone off, cancel the shift."""
    shift = get_object_or_404(
        Shift.objects.managed_by(request.user).select_related(
            "opportunity", "opportunity__shelter", "series"
        ),
        pk=pk,
    )
    edit_form = ShiftEditForm(shift=shift)
    assign_form = AssignForm(volunteers=_assignable(shift))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "edit":
            edit_form = ShiftEditForm(request.POST, shift=shift)
            if edit_form.is_valid() and _edit(request, shift, edit_form):
                return redirect(request.path)
            messages.error(request, _("Die Änderung wurde nicht gespeichert."))
        elif action == "assign":
            assign_form = AssignForm(request.POST, volunteers=_assignable(shift))
            if assign_form.is_valid():
                return _assign(request, shift, assign_form.cleaned_data["volunteer"])
            messages.error(request, _("Bitte wählen Sie eine Person aus der Liste."))
        elif action == "remove":
            return _remove(request, shift)
        elif action == "cancel":
            if request.POST.get("confirm"):
                services.cancel_shift(shift=shift)
                messages.success(
                    request, _("Der Einsatz ist abgesagt; alle Eingetragenen bekommen eine E-Mail.")
                )
            else:
                messages.error(request, _("Bitte bestätigen Sie die Absage."))
            return redirect(request.path)
    signups = shift.signups.select_related("volunteer", "assigned_by").order_by(
        "waitlisted_at", "created_at", "pk"
    )
    context = {
        "shift": shift,
        "opportunity": shift.opportunity,
        "confirmed": [s for s in signups if s.status == Status.CONFIRMED],
        "waitlisted": [s for s in signups if s.status == Status.WAITLISTED],
        "cancelled": [s for s in signups if s.status == Status.CANCELLED],
        "edit_form": edit_form,
        "assign_form": assign_form,
        "is_past": shift.starts_at <= timezone.now(),
    }
    return render(request, "volunteering/shifts/coordinator_detail.html", context)


def _edit(request, shift, form):
    data = form.cleaned_data
    try:
        if data["scope"] == ShiftEditForm.FOLLOWING:
            changed = services.edit_following(
                shift=shift,
                time_from=data["time_from"],
                time_until=data["time_until"],
                slots=data["slots"],
                note=data["note"],
            )
            messages.success(
                request,
                _("%(count)d Einsätze geändert (einzeln geänderte blieben, wie sie waren).")
                % {"count": len(changed)},
            )
        else:
            services.edit_shift(
                shift=shift,
                starts_at=_aware(data["day"], data["time_from"]),
                ends_at=_aware(data["day"], data["time_until"]),
                slots=data["slots"],
                note=data["note"],
            )
            messages.success(request, _("Der Einsatz ist geändert."))
    except ValidationError as error:
        form.add_error("slots" if error.code == "slots_below_confirmed" else None, error)
        return False
    return True


def _assign(request, shift, volunteer):
    try:
        signup = services.sign_up(shift=shift, volunteer=volunteer, assigned_by=request.user)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        if signup.status == Status.CONFIRMED:
            messages.success(
                request,
                pgettext("shift sign-up", "%(name)s ist eingetragen.") % {"name": volunteer},
            )
        else:
            messages.info(
                request,
                _("Der Einsatz ist voll: %(name)s steht auf der Warteliste.") % {"name": volunteer},
            )
    return redirect(request.path)


def _remove(request, shift):
    signup = shift.signups.filter(pk=_id(request.POST.get("signup"))).first()
    if signup is None:
        messages.error(request, _("Diese Eintragung gibt es nicht (mehr)."))
    else:
        try:
            services.cancel(signup=signup)
        except ValidationError as error:
            messages.error(request, _first_error(error))
        else:
            messages.success(request, _("Die Eintragung ist abgesagt."))
    return redirect(request.path)


# --- A volunteer's own shifts -----------------------------------------------------------------


def _handle_volunteer_post(request, records):
    """Sign up, cancel or renew the feed link for one of `records`; returns the record whose
    link was renewed (or None)."""
    action = request.POST.get("action")
    by_shelter = {record.shelter_id: record for record in records}
    try:
        if action == "signup":
            shift = services.open_shifts_for(records).filter(pk=_id(request.POST.get("shift")))
            shift = shift.first()
            record = by_shelter.get(shift.opportunity.shelter_id) if shift else None
            if record is None:
                messages.error(request, _("Diesen Einsatz gibt es nicht (mehr)."))
                return None
            signup = services.sign_up(shift=shift, volunteer=record)
            if signup.status == Status.CONFIRMED:
                messages.success(request, _("Danke! Sie sind für den Einsatz eingetragen."))
            else:
                messages.info(
                    request,
                    _(
                        "Der Einsatz ist inzwischen voll: Sie stehen auf der Warteliste und "
                        "bekommen eine E-Mail, sobald ein Platz frei wird."
                    ),
                )
        elif action == "cancel":
            signup = ShiftSignup.objects.filter(
                volunteer__in=records, pk=_id(request.POST.get("signup"))
            ).first()
            if signup is None:
                messages.error(request, _("Diese Eintragung gibt es nicht (mehr)."))
                return None
            services.cancel(signup=signup)
            messages.success(request, _("Sie haben abgesagt. Danke für die Rückmeldung!"))
        elif action == "renew":
            record = next(
                (r for r in records if str(r.pk) == request.POST.get("volunteer", "")), None
            )
            if record is None:
                return None
            links.revoke_volunteer_link(record)
            messages.success(
                request,
                _(
                    "Ihr persönlicher Link ist neu; der bisherige und sein Kalender gelten "
                    "nicht mehr."
                ),
            )
            return record
    except ValidationError as error:
        messages.error(request, _first_error(error))
    return None


def _volunteer_context(request, records, *, token=None):
    now = timezone.now()
    mine = list(services.signups_of(records, now))
    for signup in mine:
        signup.waitlist_position = services.waitlist_position(signup)
    taken = {signup.shift_id for signup in mine}
    may_take = [record for record in records if record.stage in services.MAY_SIGN_UP]
    open_shifts = services.open_shifts_for(may_take, now).exclude(pk__in=taken)
    feeds = [
        {
            "record": record,
            "url": request.build_absolute_uri(
                reverse("volunteering:shifts_link_feed", args=[links.volunteer_token(record)])
            ),
        }
        for record in records
    ]
    for feed in feeds:
        feed["webcal"] = "webcal://" + feed["url"].split("://", 1)[1]
    return {
        "records": records,
        "signups": mine,
        "open_page": paginate(request, open_shifts, OPEN_PAGE_SIZE),
        "may_take": bool(may_take),
        "feeds": feeds,
        "token": token,
    }


@never_cache
def shifts_mine(request):
    """/mein-engagement/einsaetze/: "my shifts" for a signed-in volunteer with records."""
    records = list(Volunteer.objects.of(request.user).select_related("shelter"))
    if request.method == "POST":
        _handle_volunteer_post(request, records)
        return redirect(request.path)
    context = _volunteer_context(request, records)
    return render(request, "volunteering/shifts/mine.html", context)


def _unknown_link(request):
    return render(request, "volunteering/shifts/link_unknown.html", status=404)


@public
@never_cache
@limit_failed_lookups("volunteer_link_failed")
def shifts_link(request, token):
    """/mein-engagement/link/<token>/: the same page by her personal link, without an
    account."""
    record = links.volunteer_for_token(token)
    if record is None:
        return _unknown_link(request)
    if request.method == "POST":
        renewed = _handle_volunteer_post(request, [record])
        if renewed is not None:
            return redirect("volunteering:shifts_link", links.volunteer_token(renewed))
        return redirect(request.path)
    context = _volunteer_context(request, [record], token=token)
    return render(request, "volunteering/shifts/mine.html", context)


@public
@never_cache
@limit_failed_lookups("volunteer_link_failed")
def shifts_link_feed(request, token):
    """/mein-engagement/link/<token>/einsaetze.ics: her private calendar feed."""
    record = links.volunteer_for_token(token)
    if record is None:
        return HttpResponse(status=404, content_type="text/plain")
    signups = services.feed_signups(record)
    cal = shifts_ical.calendar(signups, name=_("Meine Einsätze (BfE)"))
    response = HttpResponse(shifts_ical.to_bytes(cal), content_type=shifts_ical.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="einsaetze.ics"'
    return response
