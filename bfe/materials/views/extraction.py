"""Staff page of the text extraction: files whose text could not be read or still waits for the
worker, with the reason and a retry. Everyone but BfE staff gets 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles
from bfe.core.pagination import paginate

from ..models import MaterialVersion
from ..services import extraction as services


def _staff_only(request):
    if not Roles.of(request.user).is_bfe_staff:
        raise Http404


def extraction_list(request):
    _staff_only(request)
    page = paginate(request, services.stuck_or_failed(user=request.user), 50)
    rows = [(version, version.material.get_absolute_url()) for version in page.object_list]
    return render(
        request,
        "materials/extraction.html",
        {"page": page, "rows": rows, "statuses": MaterialVersion.Extraction},
    )


def extraction_retry(request, pk):
    """GET asks, POST reads the file again (in the background) and returns to the list."""
    _staff_only(request)
    version = get_object_or_404(
        services.stuck_or_failed(user=request.user).select_related("material"), pk=pk
    )
    if request.method == "POST":
        services.retry(version=version, by=request.user)
        messages.success(
            request,
            _("„%(name)s“ wird erneut gelesen. Das dauert meist nur Sekunden.")
            % {"name": version.file_name},
        )
        return redirect("materials:extraction")
    return render(
        request,
        "materials/extraction_retry.html",
        {"version": version, "material_url": version.material.get_absolute_url()},
    )
