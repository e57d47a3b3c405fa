import functools
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.cache import never_cache

from bfe.accounts.models import Roles
from bfe.places import selectors as place_selectors

from . import dashboard as start_page
from .page_cache import cache_public_page

# Public views opt out of LoginRequiredMiddleware explicitly.
public = login_not_required


@public
@cache_public_page
def home(request):
    return render(request, "core/home.html", place_selectors.home_figures())


@public
def imprint(request):
    return render(request, "core/imprint.html")


@public
def privacy(request):
    """What the platform stores and who sees it: one section per app that has a
    `<app>/privacy.html`, in the order of INSTALLED_APPS, so each capability brings its own."""
    context = {
        "sections": privacy_sections(),
        "invitation_days": settings.BFE_INVITATION_DAYS,
        "map_tile_host": urlsplit(settings.MAP_TILE_URL).hostname,
    }
    return render(request, "core/privacy.html", context)


@functools.cache
def privacy_sections():
    sections = []
    for config in apps.get_app_configs():
        if config.name.startswith("bfe.") and config.label != "core":
            name = f"{config.label}/privacy.html"
            try:
                get_template(name)
            except TemplateDoesNotExist:
                continue
            sections.append(name)
    return sections


@public
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def dashboard(request):
    """The start page of a signed-in person: the sections and shortcuts that the apps have
    registered for her roles (see core/dashboard.py)."""
    context = {
        "roles": Roles.of(request.user),
        "shortcuts": start_page.shortcuts_for(request.user),
        "sections": start_page.sections_for(request.user),
    }
    return render(request, "core/dashboard.html", context)


@public
def robots_txt(request):
    return HttpResponse(
        "User-agent: *\nDisallow: /konto/\nDisallow: /verwaltung/\n", content_type="text/plain"
    )
