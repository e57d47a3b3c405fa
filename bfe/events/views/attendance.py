"""Running an event: participants, check-in at the door, attendance list, documents.

Organisers' pages start from `Event.objects.managed_by(user)`, documents from
`services.documents.events_with_readable_documents(user)`: whoever is outside gets a 404.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import exports
from ..forms.attendance import (
    AttendanceForm,
    DocumentUploadForm,
    MinutesForm,
    WalkInForm,
    search_query,
)
from ..models import Document, Event, Registration
from ..services import attendance
from ..services import documents as document_services


def _managed_event(request, pk):
    return get_object_or_404(Event.objects.managed_by(request.user).select_related("region"), pk=pk)


def _private(response):
    """Lists of people are never kept by shared caches or the browser's history."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _download(content, content_type, filename, *, inline=False):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return _private(response)


def _check_in_url(event, query="", registration_pk=None):
    url = reverse("events:check_in", args=[event.pk])
    if query:
        url += "?" + urlencode({"q": query})
    if registration_pk:
        url += f"#person-{registration_pk}"
    return url


# Participants and exports ----------------------------------------------------------------------


def participants(request, pk):
    event = _managed_event(request, pk)
    context = {
        "event": event,
        "participants": attendance.participant_list(event),
        "check_in_problem": attendance.check_in_problem(event),
    }
    return _private(render(request, "events/attendance/participants.html", context))


def participants_csv(request, pk):
    event = _managed_event(request, pk)
    content = exports.participants_csv(attendance.participant_list(event))
    filename = exports.export_filename(event, "teilnehmende", "csv")
    return _download(content, exports.CSV_CONTENT_TYPE, filename)


def participants_xlsx(request, pk):
    event = _managed_event(request, pk)
    content = exports.participants_xlsx(attendance.participant_list(event))
    filename = exports.export_filename(event, "teilnehmende", "xlsx")
    return _download(content, exports.XLSX_CONTENT_TYPE, filename)


def attendance_pdf(request, pk):
    """The printable attendance list with a signature column, made in the request: one list
    renders in well under a second."""
    event = _managed_event(request, pk)
    pdf = exports.attendance_list_pdf(attendance.participant_list(event))
    filename = exports.export_filename(event, "anwesenheitsliste", "pdf")
    response = FileResponse(
        io.BytesIO(pdf), filename=filename, content_type=exports.PDF_CONTENT_TYPE
    )
    return _private(response)


# Check-in --------------------------------------------------------------------------------------


def _check_in_page(request, event, *, walk_in_form=None):
    participants = attendance.participant_list(event)
    query = search_query(request)
    context = {
        "event": event,
        "participants": participants,
        "shown": participants.filtered(query),
        "q": query,
        "walk_in_form": walk_in_form or WalkInForm(),
        "check_in_problem": attendance.check_in_problem(event),
    }
    return _private(render(request, "events/attendance/check_in.html", context))


def check_in(request, pk):
    """The phone page at the door: one tap per person, walk-ins added on the spot."""
    return _check_in_page(request, _managed_event(request, pk))


@require_POST
def check_in_toggle(request, pk, registration_pk):
    event = _managed_event(request, pk)
    registration = get_object_or_404(
        event.registrations.filter(status=Registration.Status.CONFIRMED), pk=registration_pk
    )
    registration.event = event
    form = AttendanceForm(request.POST)
    query = (request.POST.get("q") or "")[:100]
    failed = True
    if form.is_valid():
        try:
            attendance.set_attendance(
                registration=registration, attended=form.cleaned_data["attended"], by=request.user
            )
            failed = False
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Das hat nicht geklappt. Bitte tippen Sie noch einmal."))
    if request.htmx and not failed:
        participants = attendance.participant_list(event)
        context = {
            "event": event,
            "participants": participants,
            "participant": participants.find(registration.pk),
            "q": query,
            "check_in_problem": None,
        }
        return _private(render(request, "events/attendance/check_in_row.html", context))
    if request.htmx:
        # Reload the page, which shows the message.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(_check_in_url(event, query, registration.pk))


@require_POST
def walk_in(request, pk):
    event = _managed_event(request, pk)
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            registration, created = attendance.add_walk_in(
                event=event, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = registration.display_name or form.cleaned_data["name"]
            if created:
                message = _("%(name)s ist als spontan dazugekommen eingetragen.")
            else:
                message = _("%(name)s war schon angemeldet und ist jetzt als anwesend markiert.")
            messages.success(request, message % {"name": name})
            return redirect(_check_in_url(event, registration_pk=registration.pk))
    return _check_in_page(request, event, walk_in_form=form)


# Documents -------------------------------------------------------------------------------------


def _readable_event(request, pk):
    return get_object_or_404(
        document_services.events_with_readable_documents(request.user).select_related("region"),
        pk=pk,
    )


def _manages(request, event):
    return Event.objects.managed_by(request.user).filter(pk=event.pk).exists()


def documents(request, pk):
    """Minutes and files of an event, for participants and BfE staff; organisers add and
    delete them here."""
    event = _readable_event(request, pk)
    can_manage = _manages(request, event)
    minutes_form = MinutesForm(prefix="minutes")
    upload_form = DocumentUploadForm(prefix="upload", max_bytes=settings.MAX_UPLOAD_BYTES)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        action = request.POST.get("action")
        if action == "minutes":
            minutes_form = MinutesForm(request.POST, prefix="minutes")
            if minutes_form.is_valid():
                document_services.add_minutes(
                    event=event, by=request.user, **minutes_form.cleaned_data
                )
                messages.success(request, _("Das Protokoll ist gespeichert."))
                return redirect("events:documents", event.pk)
        elif action == "upload":
            upload_form = DocumentUploadForm(
                request.POST, request.FILES, prefix="upload", max_bytes=settings.MAX_UPLOAD_BYTES
            )
            if upload_form.is_valid():
                try:
                    document = document_services.add_file(
                        event=event,
                        upload=upload_form.cleaned_data["file"].upload,
                        title=upload_form.cleaned_data["title"],
                        by=request.user,
                    )
                except ValidationError as error:
                    upload_form.add_error("file", error)
                else:
                    messages.success(
                        request, _("„%(title)s“ ist hochgeladen.") % {"title": document.title}
                    )
                    return redirect("events:documents", event.pk)
        else:
            messages.error(request, _("Unbekannte Aktion."))
            return redirect("events:documents", event.pk)
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    context = {
        "event": event,
        "documents": document_services.documents_of(event),
        "can_manage": can_manage,
        "minutes_form": minutes_form,
        "upload_form": upload_form,
    }
    return _private(render(request, "events/attendance/documents.html", context))


def document(request, pk, document_pk):
    """Minutes as a page, a file as a download; `?loeschen` asks before deleting (POST)."""
    event = _readable_event(request, pk)
    document = get_object_or_404(event.documents.select_related("uploaded_by"), pk=document_pk)
    document.event = event
    if request.method == "POST" or "loeschen" in request.GET:
        if not _manages(request, event):
            raise Http404
        if request.method == "POST":
            document_services.delete_document(document=document, by=request.user)
            messages.success(request, _("„%(title)s“ ist gelöscht.") % {"title": document.title})
            return redirect("events:documents", event.pk)
        context = {"event": event, "document": document}
        return _private(render(request, "events/attendance/document_delete.html", context))
    if document.file:
        try:
            stream = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            stream,
            as_attachment=True,
            filename=document_services.download_name(document),
            content_type=document.content_type or "application/octet-stream",
        )
        return _private(response)
    context = {
        "event": event,
        "document": document,
        "html": document_services.render_minutes(document),
        "can_manage": _manages(request, event),
        "kind_minutes": Document.Kind.MINUTES,
    }
    return _private(render(request, "events/attendance/document.html", context))
