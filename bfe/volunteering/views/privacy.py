"""A person without an account reaches her record through its personal link: she sees what the
shelter keeps about her (with the access log), downloads it, and deletes it."""

import json

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from bfe.core.personal_data import plain
from bfe.core.ratelimits import limit_failed_lookups

from .. import personal_data
from ..services import links, privacy


def _record_or_unknown(request, token):
    volunteer = links.volunteer_for_token(token)
    if volunteer is None:
        return None, render(request, "volunteering/privacy/link_unknown.html", status=404)
    return volunteer, None


@login_not_required
@never_cache
@limit_failed_lookups("volunteer_data_link_failed")
def record_data(request, token):
    volunteer, unknown = _record_or_unknown(request, token)
    if unknown:
        return unknown
    context = {"section": personal_data.record_export(volunteer), "token": token}
    return render(request, "volunteering/privacy/record_data.html", context)


@login_not_required
@never_cache
@limit_failed_lookups("volunteer_data_link_failed")
def record_data_json(request, token):
    volunteer, unknown = _record_or_unknown(request, token)
    if unknown:
        return unknown
    data = {"generated_at": timezone.now(), "sections": [personal_data.record_export(volunteer)]}
    response = HttpResponse(
        json.dumps(plain(data), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json",
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="bfe-mein-eintrag-{day}.json"'
    return response


@login_not_required
@never_cache
@limit_failed_lookups("volunteer_data_link_failed")
def record_delete(request, token):
    """GET asks, POST (with the box ticked) deletes: a mail scanner following links deletes
    nothing."""
    volunteer, unknown = _record_or_unknown(request, token)
    if unknown:
        return unknown
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "1":
            privacy.erase_record(volunteer=volunteer)
            return render(request, "volunteering/privacy/record_deleted.html")
        error = "confirm"
    context = {"volunteer": volunteer, "token": token, "error": error}
    return render(request, "volunteering/privacy/record_delete.html", context)
