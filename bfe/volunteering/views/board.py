"""The board: coordinators manage their shelters' opportunities; the public finds them (list,
map, distance from a postcode) and applies without an account (double opt-in)."""

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_safe

from bfe.accounts.models import Roles
from bfe.core.page_cache import cache_public_page
from bfe.core.pagination import paginate
from bfe.core.ratelimits import limit_failed_lookups
from bfe.core.views import public
from bfe.places.models import Shelter

from .. import board_geo
from ..forms.board import ApplicationForm, BoardFilter, OpportunityForm, StatusForm
from ..models import Application, Opportunity
from ..services import board as services
from ..services import links

BOARD_PAGE_SIZE = 20


# --- Coordinators --------------------------------------------------------------------------------


def _managed(request):
    """The opportunities of the person's shelters; 404 for anyone who coordinates none."""
    if not Roles.of(request.user).shelter_ids:
        raise Http404
    return Opportunity.objects.managed_by(request.user)


def manage_list(request):
    confirmed = Q(applications__status=Application.Status.CONFIRMED)
    opportunities = (
        _managed(request)
        .select_related("area", "shelter")
        .annotate(confirmed_applications=Count("applications", filter=confirmed))
        .order_by("status", "-updated_at", "-pk")
    )
    return render(
        request,
        "volunteering/board/manage_list.html",
        {"page": paginate(request, opportunities, 50), "statuses": Opportunity.Status},
    )


def _my_shelters(request):
    return list(
        Shelter.objects.open()
        .filter(pk__in=Roles.of(request.user).shelter_ids)
        .select_related("district")
        .order_by("name")
    )


def manage_create(request):
    _managed(request)
    shelters = _my_shelters(request)
    if not shelters:
        raise Http404
    form = OpportunityForm(request.POST or None, shelters=shelters)
    if request.method == "POST" and form.is_valid():
        publish = "publish" in request.POST
        try:
            services.create_opportunity(
                shelter=form.chosen_shelter(),
                by=request.user,
                status=Opportunity.Status.OPEN if publish else Opportunity.Status.DRAFT,
                **form.service_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if publish:
                messages.success(request, _("Das Angebot ist veröffentlicht."))
            else:
                messages.success(request, _("Das Angebot ist als Entwurf gespeichert."))
            return redirect("volunteering:board_manage")
    if request.method == "POST" and form.errors:
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    return render(request, "volunteering/board/manage_form.html", {"form": form})


def manage_edit(request, pk):
    opportunity = get_object_or_404(_managed(request).select_related("shelter__district"), pk=pk)
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_opportunity(
                opportunity=opportunity, by=request.user, **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Änderungen sind gespeichert."))
            return redirect("volunteering:board_manage")
    if request.method == "POST" and form.errors:
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    return render(
        request,
        "volunteering/board/manage_form.html",
        {"form": form, "opportunity": opportunity},
    )


def manage_status(request, pk):
    opportunity = get_object_or_404(_managed(request), pk=pk)
    form = StatusForm(request.POST or None, initial={"status": opportunity.status})
    if request.method == "POST" and form.is_valid():
        services.set_status(
            opportunity=opportunity, status=form.cleaned_data["status"], by=request.user
        )
        messages.success(
            request,
            _("„%(title)s“ ist jetzt %(status)s.")
            % {"title": opportunity.title, "status": opportunity.get_status_display()},
        )
        return redirect("volunteering:board_manage")
    return render(
        request,
        "volunteering/board/manage_status.html",
        {"form": form, "opportunity": opportunity},
    )


# --- The public board ----------------------------------------------------------------------------


def _filters_query(request):
    """The board's filters as a query string (without the page number)."""
    query = request.GET.copy()
    query.pop("seite", None)
    for key in [key for key, value in query.items() if not value]:
        del query[key]
    query = query.urlencode()
    return f"?{query}" if query else ""


def _board_filter(request):
    return BoardFilter(request.GET or None, queryset=board_geo.board_base())


@public
@cache_public_page
def board(request):
    board_filter = _board_filter(request)
    opportunities = board_geo.with_list_columns(board_filter.qs).prefetch_related("languages")
    page = paginate(request, opportunities, BOARD_PAGE_SIZE)
    board_geo.decorate(page.object_list)
    context = {
        "filter": board_filter,
        "page": page,
        "centre": board_filter.centre,
        "map_url": reverse("volunteering:board_map") + _filters_query(request),
    }
    template = "volunteering/board/board.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _map_etag(request):
    return board_geo.map_version(_filters_query(request))


@public
@require_safe
@condition(etag_func=_map_etag)
def board_map(request):
    """The board's map as GeoJSON for the same filters as the list (see board_geo)."""
    board_filter = _board_filter(request)
    content = board_geo.map_geojson_cached(board_filter.qs, filters=_filters_query(request))
    response = HttpResponse(content, content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_CACHE_SECONDS)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _opportunity_for(request, pk):
    try:
        return (
            Opportunity.objects.visible_to(request.user)
            .select_related("area", "district", "shelter")
            .prefetch_related("languages")
            .get(pk=pk)
        )
    except Opportunity.DoesNotExist:
        raise Http404 from None


def _language_of(request):
    language = getattr(request, "LANGUAGE_CODE", "de") or "de"
    return language if language in {"de", "en"} else "de"


@public
@cache_public_page
def opportunity_detail(request, pk):
    opportunity = _opportunity_for(request, pk)
    board_geo.decorate([opportunity])
    return render(
        request,
        "volunteering/board/opportunity.html",
        {
            "opportunity": opportunity,
            "form": ApplicationForm() if opportunity.status == Opportunity.Status.OPEN else None,
            "can_manage": Opportunity.objects.managed_by(request.user).filter(pk=pk).exists(),
            **_consent_context(),
        },
    )


@public
def apply(request, pk):
    """ "Ich möchte helfen": the form, and on a valid POST the confirmation e-mail. A bot that
    fills the honeypot gets the same answer as a person, and nothing is stored."""
    opportunity = _opportunity_for(request, pk)
    if opportunity.status != Opportunity.Status.OPEN:
        raise Http404
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.is_bot:
            return redirect("volunteering:board_apply_sent", pk=opportunity.pk)
        if not ratelimit.consume(request, action="volunteer_apply", key=data["email"].lower()):
            form.add_error(
                None,
                _(
                    "Von hier oder für diese Adresse kamen gerade sehr viele Bewerbungen. "
                    "Bitte versuchen Sie es später noch einmal."
                ),
            )
        else:
            try:
                services.apply(
                    opportunity=opportunity,
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    languages=data["languages"],
                    message=data["message"],
                    language=_language_of(request),
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("volunteering:board_apply_sent", pk=opportunity.pk)
    elif request.method == "POST" and form.is_bot:
        # Bots see the same page whether or not the rest of their form was valid.
        return redirect("volunteering:board_apply_sent", pk=opportunity.pk)
    if form.errors:
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    return render(
        request,
        "volunteering/board/apply.html",
        {"opportunity": opportunity, "form": form, **_consent_context()},
    )


def _consent_context():
    return {
        "consent_version": services.CONSENT_VERSION,
        "hours": settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS,
    }


@public
def apply_sent(request, pk):
    opportunity = _opportunity_for(request, pk)
    return render(
        request,
        "volunteering/board/apply_sent.html",
        {
            "opportunity": opportunity,
            "hours": settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS,
        },
    )


@public
@never_cache
@limit_failed_lookups("volunteer_application_link_failed")
def confirm(request, token):
    """The e-mailed link: GET shows a button (mail scanners open links, they must not
    confirm), POST confirms. Unknown and expired links get a friendly page."""
    application = links.application_for_token(token)
    if application is None:
        return render(
            request, "volunteering/board/confirm_invalid.html", {"reason": "unknown"}, status=404
        )
    if request.method == "POST":
        try:
            application, _newly = services.confirm_application(application=application)
        except ValidationError:
            application.refresh_from_db()
        return redirect(request.path)
    if application.status == Application.Status.CONFIRMED:
        template = "volunteering/board/confirm_done.html"
    elif services.is_expired(application) or application.status != Application.Status.UNCONFIRMED:
        return render(
            request,
            "volunteering/board/confirm_invalid.html",
            {
                "reason": "expired",
                "application": application,
                "hours": settings.VOLUNTEER_APPLICATION_CONFIRM_HOURS,
            },
            status=410,
        )
    else:
        template = "volunteering/board/confirm.html"
    return render(request, template, {"application": application})
