"""The coordinator's side of hours (/freiwillige/stunden/): proposed hours of her shelters'
volunteers to confirm or reject, one by one or together; hours she enters for a volunteer;
an Ehrenamtsnachweis she issues for one. Nobody else gets these pages (404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bfe.accounts.models import Roles
from bfe.core.pagination import paginate

from .. import self_service_reads as reads
from ..forms.self_service import CoordinatorHoursForm, PeriodForm
from ..models import Attestation, HoursEntry, Volunteer
from ..services import hours as services
from .self_service import _form_errors, _pdf_response


def _coordinator_only(request):
    if not Roles.of(request.user).shelter_ids:
        raise Http404


def _decided_message(count, confirm):
    if confirm:
        return ngettext("%(count)s Eintrag bestätigt.", "%(count)s Einträge bestätigt.", count) % {
            "count": count
        }
    return ngettext("%(count)s Eintrag abgelehnt.", "%(count)s Einträge abgelehnt.", count) % {
        "count": count
    }


def _decide(request, entry_ids, confirm):
    if not entry_ids:
        messages.error(request, _("Bitte wählen Sie mindestens einen Eintrag aus."))
        return
    try:
        count = services.decide_hours(
            coordinator=request.user, entry_ids=entry_ids, confirm=confirm
        )
    except (HoursEntry.DoesNotExist, ValueError):
        raise Http404 from None
    if count:
        messages.success(request, _decided_message(count, confirm))
    else:
        messages.info(request, _("Diese Einträge waren schon entschieden."))


def hours_review(request):
    """Her shelters' proposed hours; POST confirms or rejects the ticked ones, or one."""
    _coordinator_only(request)
    if request.method == "POST":
        one = request.POST.get("confirm_one") or request.POST.get("reject_one")
        if one:
            _decide(request, [one], confirm=bool(request.POST.get("confirm_one")))
        elif request.POST.get("action") in {"confirm", "reject"}:
            _decide(request, request.POST.getlist("entries"), request.POST["action"] == "confirm")
        else:
            messages.error(request, _("Bitte wählen Sie „Bestätigen“ oder „Ablehnen“."))
        return redirect("volunteering:self_service_hours_review")
    proposed = (
        services.reviewable_by(request.user)
        .filter(status=HoursEntry.Status.PROPOSED)
        .select_related("volunteer__shelter", "shift")
        .order_by("date", "pk")
    )
    page = paginate(request, proposed, 50)
    return render(
        request,
        "volunteering/self_service/review.html",
        {"page": page, "several_shelters": len(Roles.of(request.user).shelter_ids) > 1},
    )


def hours_entry(request, pk):
    """One entry of her shelters: GET shows it, POST (action=confirm|reject) decides it."""
    _coordinator_only(request)
    try:
        entry = (
            services.reviewable_by(request.user)
            .select_related("volunteer__shelter", "shift", "confirmed_by")
            .get(pk=pk)
        )
    except HoursEntry.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        action = request.POST.get("action")
        if action in {"confirm", "reject"}:
            _decide(request, [entry.pk], confirm=action == "confirm")
            return redirect("volunteering:self_service_hours_review")
        messages.error(request, _("Bitte wählen Sie „Bestätigen“ oder „Ablehnen“."))
    return render(request, "volunteering/self_service/entry.html", {"entry": entry})


def _volunteers(user):
    return (
        Volunteer.objects.visible_to(user)
        .exclude(stage=Volunteer.Stage.ENDED)
        .select_related("shelter")
        .order_by("full_name", "pk")
    )


def hours_record(request):
    """Hours she enters for a volunteer of her shelters: confirmed at once."""
    _coordinator_only(request)
    initial = {}
    chosen = request.GET.get("freiwillige", "")
    if chosen.isdigit():
        initial["volunteer"] = int(chosen)
    form = CoordinatorHoursForm(
        request.POST or None, volunteers=_volunteers(request.user), initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = services.record_hours(
                    coordinator=request.user,
                    volunteer_id=form.cleaned_data["volunteer"].pk,
                    date=form.cleaned_data["date"],
                    hours=form.cleaned_data["hours"],
                    activity=form.cleaned_data["activity"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            except Volunteer.DoesNotExist:
                raise Http404 from None
            else:
                messages.success(
                    request,
                    _("%(hours)s Stunden für %(name)s eingetragen und bestätigt.")
                    % {"hours": reads.format_hours(entry.hours), "name": entry.volunteer.full_name},
                )
                return redirect("volunteering:self_service_hours_review")
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    return render(request, "volunteering/self_service/record.html", {"form": form})


def attestation_for_volunteer(request, pk):
    """She issues a Nachweis for one of her shelters' volunteers, for a period she picks."""
    _coordinator_only(request)
    try:
        volunteer = Volunteer.objects.visible_to(request.user).select_related("shelter").get(pk=pk)
    except Volunteer.DoesNotExist:
        raise Http404 from None
    start, end = services.default_period()
    form = PeriodForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid():
        try:
            attestation = services.issue_attestation(
                volunteer=volunteer,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                issued_by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("volunteering:self_service_shelter_attestation_pdf", pk=attestation.pk)
    return render(
        request,
        "volunteering/self_service/attestation_for_volunteer.html",
        {
            "form": form,
            "volunteer": volunteer,
            "attestations": Attestation.objects.filter(volunteer=volunteer)[:20],
        },
    )


def attestation_pdf(request, pk):
    _coordinator_only(request)
    try:
        attestation = reads.attestation_of_shelter(request.user, pk)
    except Attestation.DoesNotExist:
        raise Http404 from None
    return _pdf_response(attestation)


def attestation_revoke(request, pk):
    """GET asks whether she means it; POST revokes a Nachweis of her shelters' volunteers."""
    _coordinator_only(request)
    try:
        attestation = Attestation.objects.filter(
            volunteer__in=Volunteer.objects.visible_to(request.user).values("pk")
        ).get(pk=pk)
    except Attestation.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        services.revoke_attestation(coordinator=request.user, attestation_id=attestation.pk)
        messages.success(
            request,
            _("Der Nachweis %(code)s ist widerrufen; die Prüfseite zeigt das an.")
            % {"code": attestation.verification_code},
        )
        return redirect(
            "volunteering:self_service_shelter_attestation", pk=attestation.volunteer_id
        )
    return render(request, "volunteering/self_service/revoke.html", {"attestation": attestation})
