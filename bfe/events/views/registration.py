"""Registration pages: one click for signed-in people, double opt-in for external guests,
region invitations and "Meine Anmeldungen". The rules live in services/registration.py."""

from dataclasses import dataclass

from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bfe.core.pagination import paginate
from bfe.core.ratelimits import limit_failed_lookups
from bfe.core.views import public

from ..forms.registration import GuestRegistrationForm
from ..models import Audience, Event, Registration
from ..services import feeds
from ..services import registration as services

Status = Registration.Status
BOX_TEMPLATE = "events/_registration_box.html"
PAST_PAGE_SIZE = 20


# --- The registration box on the event page -------------------------------------------------------


@dataclass(frozen=True)
class RegistrationBox:
    """What the registration box of an event shows its viewer.

    `state` is one of: cancelled, draft, past, started, training_module, confirmed, waitlisted,
    not_yet_open, open, closed.
    """

    state: str
    waitlist_position: int | None = None


def _box_state(event, registration, now):
    if event.is_cancelled:
        return "cancelled"
    if event.status == Event.Status.DRAFT:
        return "draft"
    if event.ends_at < now:
        return "past"
    if registration is not None and registration.status in services.ACTIVE:
        return str(registration.status)
    if event.starts_at <= now:
        return "started"
    if event.kind == Event.Kind.TRAINING_MODULE:
        return "training_module"
    if event.registration_opens_at and now < event.registration_opens_at:
        return "not_yet_open"
    return "open" if event.registration_is_open(now) else "closed"


_UNKNOWN = object()


def registration_box_context(*, user, event, registration=_UNKNOWN, can_manage=None, now=None):
    """What `events/_registration_box.html` needs besides `user`: event, registration,
    can_manage, seats_left, show_online_url and box.

    The event page passes what it has loaded already (an event annotated by `with_counts()`,
    the viewer's registration, can_manage), so that nothing is read twice.
    """
    now = now or timezone.now()
    if registration is _UNKNOWN:
        registration = Registration.objects.of(user).filter(event=event).first()
    if can_manage is None:
        can_manage = Event.objects.managed_by(user).filter(pk=event.pk).exists()
    state = _box_state(event, registration, now)
    position = services.waitlist_position(registration) if state == "waitlisted" else None
    has_seat = registration is not None and registration.status == Status.CONFIRMED
    seats_left = None
    if event.capacity is not None:
        confirmed = getattr(event, "confirmed_count", None)
        if confirmed is None:
            confirmed = event.registrations.filter(status=Status.CONFIRMED).count()
        seats_left = max(0, event.capacity - confirmed)
    return {
        "event": event,
        "registration": registration,
        "can_manage": can_manage,
        "seats_left": seats_left,
        "show_online_url": can_manage or has_seat,
        "box": RegistrationBox(state=state, waitlist_position=position),
    }


def _respond(request, event, text, level=messages.SUCCESS):
    """htmx gets the re-rendered box with the message in it; everyone else is redirected to
    the event (or a safe `next`) with the message."""
    if request.htmx:
        event = Event.objects.with_counts().get(pk=event.pk)
        context = registration_box_context(user=request.user, event=event)
        context.update(notice=text, notice_level=messages.DEFAULT_TAGS[level])
        return render(request, BOX_TEMPLATE, context)
    messages.add_message(request, level, text)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Never redirect(): a `next` without "/" or "." would be taken for a URL name.
        return HttpResponseRedirect(target)
    return redirect(event)


def _seat_message(registration, *, was_registered):
    position = services.waitlist_position(registration)
    if registration.status == Status.CONFIRMED:
        if was_registered:
            return _("Sie sind für diese Veranstaltung bereits angemeldet.")
        return _(
            "Sie sind angemeldet. Die Bestätigung mit dem Termin für Ihren Kalender kommt per "
            "E-Mail."
        )
    if was_registered:
        return _("Sie stehen bereits auf der Warteliste, auf Platz %(position)d.") % {
            "position": position
        }
    return _(
        "Die Veranstaltung ist ausgebucht. Sie stehen auf der Warteliste, auf Platz "
        "%(position)d. Wird ein Platz frei, rücken Sie automatisch nach und bekommen eine E-Mail."
    ) % {"position": position}


@require_POST
def register(request, pk):
    # The service checks visibility under the lock (PermissionDenied becomes a 404 below); a
    # plain read by primary key here spares the visibility query being run twice.
    event = get_object_or_404(Event, pk=pk)
    was_registered = (
        Registration.objects.of(request.user)
        .filter(event=event, status__in=services.ACTIVE)
        .exists()
    )
    try:
        registration = services.register(event=event, person=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _respond(request, event, error.messages[0], messages.ERROR)
    level = messages.SUCCESS if registration.status == Status.CONFIRMED else messages.INFO
    text = _seat_message(registration, was_registered=was_registered)
    return _respond(request, event, text, level)


@require_POST
def unregister(request, pk):
    # event__pk, not event_id: only the former turns a number too large for the database into
    # "no such row" instead of an OverflowError.
    registration = Registration.objects.of(request.user).filter(event__pk=pk).first()
    if registration is not None:
        # Her own registration: cancelling stays possible if she can no longer see the event.
        event = registration.event
    else:
        event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    if registration is None or registration.status not in services.ACTIVE:
        return _respond(
            request, event, _("Sie waren für diese Veranstaltung nicht angemeldet."), messages.INFO
        )
    was_waiting = registration.status == Status.WAITLISTED
    try:
        services.cancel_registration(registration=registration, by=request.user)
    except ValidationError as error:
        return _respond(request, event, error.messages[0], messages.ERROR)
    if was_waiting:
        text = _("Sie stehen nicht mehr auf der Warteliste.")
    else:
        text = _("Sie haben sich von der Veranstaltung abgemeldet.")
    return _respond(request, event, text)


@require_POST
def invite_region(request, pk):
    event = get_object_or_404(
        Event.objects.managed_by(request.user).filter(kind=Event.Kind.JOUR_FIXE), pk=pk
    )
    try:
        count = services.invite_region(event=event, by=request.user)
    except ValidationError as error:
        return _respond(request, event, error.messages[0], messages.ERROR)
    if count == 0:
        text = _(
            "Niemand war mehr einzuladen: Alle Koordinator:innen der Region %(region)s sind "
            "bereits angemeldet, oder keine Unterkunft der Region hat eine besetzte Stelle."
        ) % {"region": event.region}
        return _respond(request, event, text, messages.INFO)
    text = ngettext(
        "%(count)d Koordinator:in der Region %(region)s ist per E-Mail eingeladen.",
        "%(count)d Koordinator:innen der Region %(region)s sind per E-Mail eingeladen.",
        count,
    ) % {"count": count, "region": event.region}
    return _respond(request, event, text)


# --- External guests ------------------------------------------------------------------------------


def _guest_event(pk):
    return get_object_or_404(
        Event.objects.filter(audience=Audience.GUESTS).exclude(status=Event.Status.DRAFT), pk=pk
    )


@public
def guest_register(request, pk):
    """The registration form for guests without an account; its answer is the same whether
    the address is new or known, so that nobody learns who registered."""
    event = _guest_event(pk)
    if request.GET.get("gesendet"):
        return render(request, "events/registration/guest_sent.html", {"event": event})
    form = GuestRegistrationForm(request.POST or None, initial={"language": _language_of(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not ratelimit.consume(request, action="event_guest_register", key=data["email"]):
            form.add_error(
                None,
                _("Von hier kamen gerade sehr viele Anmeldungen. Bitte versuchen Sie es später."),
            )
        else:
            try:
                services.register_guest(
                    event=event,
                    name=data["name"],
                    email=data["email"],
                    organisation=data["organisation"],
                    language=data["language"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Wir haben eine E-Mail an %(email)s geschickt.") % {"email": data["email"]},
                )
                return redirect(reverse("events:guest_register", args=[event.pk]) + "?gesendet=1")
    if form.errors and not form.non_field_errors():
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    now = timezone.now()
    context = {"event": event, "form": form, "is_open": event.registration_is_open(now), "now": now}
    return render(request, "events/registration/guest_register.html", context)


def _language_of(request):
    language = getattr(request, "LANGUAGE_CODE", "de")
    return language if language in {"de", "en"} else "de"


@public
@never_cache
@limit_failed_lookups("event_guest_link_failed")
def guest_manage(request, token):
    """A guest's personal link: confirm (a button, so that link scanners in mail systems do
    not confirm), then see the registration and cancel it."""
    registration = services.guest_registration_for(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                registration = services.confirm_guest(token=token)
                messages.success(request, _guest_confirmed_message(registration))
            elif action == "cancel":
                services.cancel_guest_registration(token=token)
                messages.success(
                    request, _("Sie haben sich abgemeldet. Schade, dass Sie nicht dabei sind.")
                )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(request.path)
    event = registration.event
    expired = services.guest_link_expired(registration)
    context = {
        "registration": registration,
        "event": event,
        "expired": expired,
        "may_confirm": (
            registration.status == Status.UNCONFIRMED and not expired and not event.is_cancelled
        ),
        "waitlist_position": services.waitlist_position(registration),
        "shows_online_url": bool(event.online_url) and registration.status == Status.CONFIRMED,
        "may_cancel": registration.status in services.ACTIVE and event.starts_at > timezone.now(),
    }
    return render(request, "events/registration/guest_manage.html", context)


def _guest_confirmed_message(registration):
    if registration.status == Status.CONFIRMED:
        return _("Vielen Dank! Ihre Anmeldung ist bestätigt. Die Einzelheiten kommen per E-Mail.")
    return _(
        "Vielen Dank! Die Veranstaltung ist ausgebucht: Sie stehen auf der Warteliste, auf Platz "
        "%(position)d, und bekommen eine E-Mail, sobald ein Platz frei wird."
    ) % {"position": services.waitlist_position(registration)}


# --- Meine Anmeldungen ----------------------------------------------------------------------------


def my_registrations(request):
    now = timezone.now()
    mine = services.with_waitlist_position(
        Registration.objects.of(request.user).select_related("event", "event__region")
    )
    upcoming = mine.filter(event__ends_at__gte=now, status__in=services.ACTIVE).order_by(
        "event__starts_at", "pk"
    )
    past = mine.filter(event__ends_at__lt=now, status=Status.CONFIRMED).order_by(
        "-event__starts_at", "-pk"
    )
    context = {
        "upcoming": list(upcoming),
        "past_page": paginate(request, past, PAST_PAGE_SIZE),
        "now": now,
        **feeds.feed_box_context(request),
    }
    return render(request, "events/registration/my_registrations.html", context)
