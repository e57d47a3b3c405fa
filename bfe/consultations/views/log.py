"""The regional coordinators' log of consultations, and the timelines of shelters and people.

Who may see what is decided by the QuerySet methods behind selectors.log and timeline; these
views only turn "not found in the viewer's scope" into 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bfe.core.pagination import paginate
from bfe.core.permissions import require_role

from .. import timeline
from ..forms.log import ChooseShelterForm, ConsultationFilter, ConsultationForm
from ..models import Consultation, Format
from ..selectors import log as selectors
from ..services import log as services

LOG_PAGE_SIZE = 25
FORM_TEMPLATE = "consultations/log/form.html"


def _invalid(request, form):
    text = _("Bitte prüfen Sie die markierten Felder. Ihre Eingaben sind erhalten geblieben.")
    if request.FILES:
        text += " " + _("Ausgewählte Dateien müssen Sie aus Sicherheitsgründen erneut auswählen.")
    messages.error(request, text)


@require_role("bfe_staff", "coordinator")
def consultation_list(request):
    # The filters only narrow the viewer's own scope; coordinators are not shown them.
    log_filter = ConsultationFilter(request.GET, queryset=selectors.log_for(request.user))
    context = {
        "staff_view": selectors.reads_as_staff(request.user),
        "filter": log_filter,
        "page": paginate(request, log_filter.qs, LOG_PAGE_SIZE),
    }
    template = "consultations/log/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require_role("bfe_staff")
def consultation_create(request):
    answering = None
    if request.method == "POST":
        form = ConsultationForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                consultation = services.log_consultation(
                    logged_by=request.user, **form.service_arguments()
                )
            except services.DuplicateSubmission as duplicate:
                messages.info(request, _("Diese Beratung war bereits gespeichert."))
                if duplicate.consultation_id:
                    return redirect("consultations:detail", duplicate.consultation_id)
                return redirect("consultations:list")
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Die Beratung wurde im Protokoll gespeichert."))
                return redirect(consultation)
        _invalid(request, form)
        answering = form.cleaned_data.get("consultation_request")
    else:
        initial = {}
        if request.GET.get("request"):
            answering = selectors.request_to_answer(request.user, request.GET["request"])
            initial = {
                "shelter": answering.shelter_id,
                "format": answering.preferred_format,
                "topics": list(answering.topics.filter(is_active=True)),
                "consultation_request": answering.pk,
            }
        elif request.GET.get("shelter"):
            initial = {"shelter": request.GET["shelter"], "format": Format.ON_SITE}
        form = ConsultationForm(initial=initial, user=request.user)
        if form.shelter is None:
            # No shelter yet: choose it first, so that its coordinators can be offered.
            return render(
                request,
                "consultations/log/choose_shelter.html",
                {
                    "form": ChooseShelterForm(user=request.user),
                    "recent_shelters": selectors.recently_consulted_shelters(request.user),
                },
            )
        if request.htmx:
            return render(request, FORM_TEMPLATE + "#who", {"form": form})
    return render(request, FORM_TEMPLATE, {"form": form, "answering": answering})


def consultation_edit(request, pk):
    consultation = get_object_or_404(Consultation.objects.editable_by(request.user), pk=pk)
    if request.method == "POST":
        form = ConsultationForm(
            request.POST, request.FILES, instance=consultation, user=request.user
        )
        if form.is_valid():
            try:
                consultation = services.update_consultation(
                    consultation=consultation, edited_by=request.user, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Die Änderungen wurden gespeichert."))
                return redirect(consultation)
        _invalid(request, form)
    else:
        initial = {"shelter": request.GET["shelter"]} if request.GET.get("shelter") else {}
        form = ConsultationForm(instance=consultation, initial=initial, user=request.user)
        if request.htmx:
            return render(request, FORM_TEMPLATE + "#who", {"form": form})
    return render(request, FORM_TEMPLATE, {"form": form, "consultation": consultation})


def consultation_detail(request, pk):
    consultation = selectors.consultation_for_detail(request.user, pk)
    return render(request, "consultations/log/detail.html", {"consultation": consultation})


def attachment_download(request, pk, attachment_pk):
    attachment = selectors.attachment_for_download(
        request.user, consultation_pk=pk, pk=attachment_pk
    )
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def shelter_timeline(request, shelter_pk):
    shelter = timeline.shelter_for_timeline(request.user, shelter_pk)
    return _render_timeline(request, timeline.Subject(shelter=shelter))


def person_timeline(request, user_pk):
    person = timeline.person_for_timeline(request.user, user_pk)
    return _render_timeline(request, timeline.Subject(person=person))


def _render_timeline(request, subject):
    until = timeline.parse_until(request.GET.get("bis"))
    context = {
        "subject": subject,
        "timeline": timeline.build_timeline(subject, request.user, until=until),
        "until": until,
        "staff_view": selectors.reads_as_staff(request.user),
    }
    return render(request, "consultations/timeline/timeline.html", context)
