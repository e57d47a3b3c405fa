"""The imports part: a coordinator imports her old volunteer list (upload, mapping with a
preview, the run with its report), and a person keeps her data after a retention notice.

Import pages start from `services.imports.jobs_of(user)` (her current shelters' imports):
whoever is outside gets a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from bfe.core.permissions import require_role

from ..forms.imports import FIELD_LABELS, MappingForm, UploadForm
from ..models import ImportJob
from ..services import imports as services
from ..services import retention
from ..services.imports_reading import FIELDS
from ..services.links import volunteer_for_token

Status = ImportJob.Status
RECENT_JOBS = 10


def _private(response):
    """Pages with people's data are never kept by shared caches or the browser's history."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _job(request, pk):
    return get_object_or_404(services.jobs_of(request.user), pk=pk)


@require_role("coordinator")
def upload(request):
    shelters = services.shelters_for_import(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, shelters=shelters)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.upload_list(
                shelter=form.cleaned_data["shelter"],
                uploaded_by=request.user,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("volunteering:import_mapping", job.pk)
    context = {
        "form": form,
        "jobs": services.jobs_of(request.user)[:RECENT_JOBS],
        "several_shelters": len(shelters) > 1,
    }
    return _private(render(request, "volunteering/imports/upload.html", context))


@require_role("coordinator")
def mapping(request, pk):
    job = _job(request, pk)
    if job.status in {Status.RUNNING, Status.DONE} or not job.file:
        return redirect("volunteering:import_status", job.pk)
    header = job.mapping.get("header", [])
    shown_mapping = job.mapping
    if request.method == "POST":
        form = MappingForm(request.POST, header=header)
        if form.is_valid():
            shown_mapping = {**job.mapping, **form.mapping()}
            if "preview" not in request.POST and "vorschau" not in request.GET:
                try:
                    services.start_import(
                        job=job,
                        columns=form.columns(),
                        default_stage=form.cleaned_data["default_stage"],
                        started_by=request.user,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                except services.ImportNotStartable:
                    # Started meanwhile (a second tab): its page tells how far it is.
                    return redirect("volunteering:import_status", job.pk)
                else:
                    return redirect("volunteering:import_status", job.pk)
    else:
        form = MappingForm(initial=MappingForm.initial_from(job.mapping), header=header)
    context = {
        "job": job,
        "form": form,
        "field_names": FIELDS,
        "preview": services.preview_rows(job, shown_mapping),
        "header": header,
        "field_labels": FIELD_LABELS,
        "runs_in_background": services.runs_in_background(job),
    }
    template = "volunteering/imports/mapping.html"
    if request.htmx and "vorschau" in request.GET:
        template += "#preview"
    return _private(render(request, template, context))


@require_role("coordinator")
def status(request, pk):
    job = _job(request, pk)
    running = job.status in {Status.MAPPED, Status.RUNNING}
    if request.htmx and not running:
        # Finished: the whole page changes (the report), so the browser loads it anew.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return _private(response)
    errors, skipped = services.report_of(job)
    context = {
        "job": job,
        "running": running,
        "errors": errors,
        "skipped": skipped,
        "percent": int(100 * job.processed_rows / job.total_rows) if job.total_rows else 0,
        "can_remap": job.status == Status.FAILED and bool(job.file),
    }
    template = "volunteering/imports/status.html"
    if request.htmx:
        template += "#progress"
    return _private(render(request, template, context))


@login_not_required
def keep_data(request, token):
    """The link of the retention notice: one button keeps the record (a GET changes nothing,
    so that mail scanners following links do not count as the person)."""
    volunteer = volunteer_for_token(token)
    if volunteer is None:
        raise Http404
    if request.method == "POST":
        retention.keep_data(volunteer=volunteer)
        messages.success(request, _("Danke! Ihre Daten bleiben gespeichert."))
        return redirect("volunteering:retention_keep", token)
    context = {
        "volunteer": volunteer,
        "deletion_on": retention.deletion_date(volunteer),
    }
    return _private(render(request, "volunteering/imports/keep.html", context))
