"""Training series: overview, detail with enrolment and progress, participants, certificates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bfe.accounts.models import Roles
from bfe.core.page_cache import cache_public_page
from bfe.core.ratelimits import limit_failed_lookups
from bfe.core.views import public
from bfe.materials import selectors as materials_selectors

from ..forms.training import IssueCertificateForm
from ..models import Certificate, Enrolment, TrainingSeries
from ..selectors import training as selectors
from ..services import training as services


def _series_or_404(user, pk):
    try:
        return selectors.series_for_detail(user, pk)
    except TrainingSeries.DoesNotExist:
        raise Http404 from None


def _enrolment_message(enrolment, *, already=False):
    if enrolment.status == Enrolment.Status.CONFIRMED:
        if already:
            return _("Sie sind für diese Fortbildungsreihe bereits angemeldet.")
        return _(
            "Sie sind für „%(title)s“ verbindlich angemeldet. Ihr Platz in allen Modulen ist "
            "reserviert; die Bestätigung kommt per E-Mail."
        ) % {"title": enrolment.series.title}
    position = selectors.waitlist_position(enrolment)
    if already:
        return _("Sie stehen bereits auf der Warteliste, auf Platz %(position)s.") % {
            "position": position
        }
    return _(
        "Alle Plätze sind vergeben. Sie stehen auf Platz %(position)s der Warteliste und "
        "erhalten eine E-Mail, sobald ein Platz für Sie frei wird."
    ) % {"position": position}


@public
@cache_public_page
def training_list(request):
    return render(
        request,
        "events/training/list.html",
        {"groups": selectors.training_overview(request.user)},
    )


@public
@cache_public_page
def training_detail(request, pk):
    """The series with its modules, enrolment and the person's progress. A participant who
    has completed the series issues her certificate here (POST)."""
    series = _series_or_404(request.user, pk)
    if request.method == "POST":
        return _issue_own_certificate(request, series)
    my_enrolment = selectors.my_enrolments(request.user, [series.pk]).get(series.pk)
    level_progress = None
    if request.user.is_authenticated:
        level_progress = selectors.progress(request.user, series.level, series=series)
        # Shown to participants, and to anyone catching up modules of this level.
        if not (my_enrolment or level_progress.attended_count):
            level_progress = None
    roles = Roles.of(request.user)
    context = {
        "series": series,
        "events": selectors.module_events(series, request.user),
        "my_enrolment": my_enrolment,
        "progress": level_progress,
        "certificate": selectors.certificate_at_level(request.user, series),
        "may_issue": bool(level_progress and level_progress.is_complete)
        and selectors.took_part(request.user, series),
        "can_enrol": roles.is_coordinator,
        "sees_event_pages": roles.is_coordinator or roles.is_bfe_staff,
        "is_staff": roles.is_bfe_staff,
        "material_collections": materials_selectors.collections_for_training_level(series.level),
    }
    return render(request, "events/training/detail.html", context)


def _issue_own_certificate(request, series):
    if not request.user.is_authenticated:
        return redirect(series)
    try:
        services.issue_certificate(person=request.user, series=series)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Ihre Teilnahmebescheinigung ist ausgestellt. Sie können sie jetzt herunterladen."),
        )
    return redirect(series)


@require_POST
def enrol(request, pk):
    if not Roles.of(request.user).is_coordinator:
        raise Http404
    series = _series_or_404(request.user, pk)
    existing = Enrolment.objects.active().filter(series=series, person=request.user).first()
    if existing:
        messages.info(request, _enrolment_message(existing, already=True))
        return redirect(series)
    try:
        enrolment = services.enrol(series=series, person=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        level = (
            messages.SUCCESS if enrolment.status == Enrolment.Status.CONFIRMED else messages.WARNING
        )
        messages.add_message(request, level, _enrolment_message(enrolment))
    return redirect(series)


@require_POST
def withdraw(request, pk):
    if not Roles.of(request.user).is_coordinator:
        raise Http404
    series = _series_or_404(request.user, pk)
    enrolment = Enrolment.objects.active().filter(series=series, person=request.user).first()
    if enrolment is None:
        messages.info(request, _("Sie waren für diese Fortbildungsreihe nicht angemeldet."))
        return redirect(series)
    services.withdraw(enrolment=enrolment, by=request.user)
    messages.success(
        request,
        _("Sie haben sich von „%(title)s“ abgemeldet. Ihre Modultermine sind freigegeben.")
        % {"title": series.title},
    )
    return redirect(series)


def training_participants(request, pk):
    """BfE staff: enrolled people and the waiting list, with attended modules and completion;
    staff issue certificates here (POST)."""
    if not Roles.of(request.user).is_bfe_staff:
        raise Http404
    series = _series_or_404(request.user, pk)
    form = IssueCertificateForm(request.POST or None, series=series)
    if request.method == "POST":
        if form.is_valid():
            person = form.cleaned_data["person"]
            try:
                services.issue_certificate(person=person, series=series)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Die Bescheinigung für %(name)s ist ausgestellt.")
                    % {"name": person.get_full_name()},
                )
        else:
            messages.error(request, " ".join(form.errors.get("person", [])))
        return redirect("events:training_participants", pk=series.pk)
    participants = selectors.series_participants(series)
    context = {
        "series": series,
        "enrolled": [row for row in participants if row.is_confirmed],
        "waiting": [row for row in participants if not row.is_confirmed],
    }
    return render(request, "events/training/participants.html", context)


def certificate_pdf(request, pk):
    """The certificate as PDF, for its holder and BfE staff."""
    try:
        certificate = selectors.certificate_visible_to(request.user, pk)
    except Certificate.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(
        selectors.render_certificate_pdf(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{selectors.certificate_filename(certificate)}"'
    )
    return response


@public
@limit_failed_lookups("certificate_verify_failed")
def certificate_verify(request, code):
    """Public check of a certificate by its code (from the QR code or typed from paper)."""
    try:
        certificate = selectors.certificate_for_verification(code)
    except Certificate.DoesNotExist:
        response = render(
            request, "events/training/verify.html", {"code": code, "certificate": None}
        )
        response.status_code = 404
        return response
    return render(request, "events/training/verify.html", {"certificate": certificate})
