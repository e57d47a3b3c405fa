"""A volunteer's own pages (/mein-engagement/): her hours and recognitions, her
Ehrenamtsnachweise, her profile and her applications; and the public check of a Nachweis.
Every page first links the records made with her verified address to her account."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bfe.core.pagination import paginate
from bfe.core.ratelimits import limit_failed_lookups
from bfe.core.views import public

from .. import self_service_reads as reads
from ..forms.self_service import OwnHoursForm, OwnPeriodForm, ProfileForm
from ..models import Application, Attestation, Volunteer
from ..services import hours as hours_services
from ..services import self_service as services


def _base_context(request):
    addresses = services.verified_addresses(request.user)
    services.link_records(request.user, addresses)
    return {"board_url": reverse("volunteering:board"), "has_verified_address": bool(addresses)}


def _form_errors(form, error):
    """A service's ValidationError onto the form's fields (or the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


def my_hours(request):
    """Her hours, per year and against the recognitions; a form to enter hours by hand."""
    context = _base_context(request)
    records_qs = reads.records_of(request.user)
    records = list(records_qs)
    form = None
    if records:
        form = OwnHoursForm(request.POST or None, records=records_qs)
        if request.method == "POST" and form.is_valid():
            try:
                hours_services.enter_own_hours(
                    user=request.user,
                    volunteer_id=form.cleaned_data["record"].pk,
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
                    _("Ihre Stunden sind eingetragen. Ihre Koordination bestätigt sie."),
                )
                return redirect("volunteering:self_service_hours")
        if request.method == "POST" and form.errors:
            messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    elif request.method == "POST":
        raise Http404
    context.update(
        records=records,
        form=form,
        summary=reads.hours_summary(request.user),
        entries=paginate(request, reads.hours_entries_of(request.user), 25),
        suggestions=reads.activities_suggested(request.user),
        attestations=reads.attestations_of(request.user)[:20],
    )
    return render(request, "volunteering/self_service/hours.html", context)


def my_attestation(request):
    """She picks a period (and a shelter, if she has several): the Nachweis is issued and
    downloaded."""
    context = _base_context(request)
    records_qs = reads.records_of(request.user)
    records = list(records_qs)
    if not records:
        return render(request, "volunteering/self_service/attestation_form.html", context)
    start, end = hours_services.default_period()
    form = OwnPeriodForm(
        request.POST or None,
        records=records_qs,
        initial={"period_start": start, "period_end": end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            attestation = hours_services.issue_attestation(
                volunteer=form.cleaned_data["record"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                issued_by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("volunteering:self_service_attestation_pdf", pk=attestation.pk)
    context.update(form=form, records=records_qs)
    return render(request, "volunteering/self_service/attestation_form.html", context)


def _pdf_response(attestation):
    response = HttpResponse(
        reads.render_attestation_pdf(attestation, get_language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{reads.attestation_filename(attestation)}"'
    )
    return response


def my_attestation_pdf(request, pk):
    try:
        attestation = reads.attestation_of_holder(request.user, pk)
    except Attestation.DoesNotExist:
        raise Http404 from None
    return _pdf_response(attestation)


@public
@limit_failed_lookups("certificate_verify_failed")
def attestation_verify(request, code):
    """Public check of a Nachweis by its code: holder, shelter, period and hours, nothing
    else; or that the code is unknown or revoked."""
    try:
        attestation = reads.attestation_for_verification(code)
    except Attestation.DoesNotExist:
        response = render(
            request,
            "volunteering/self_service/verify.html",
            {"code": code[:40], "attestation": None},
        )
        response.status_code = 404
        return response
    return render(request, "volunteering/self_service/verify.html", {"attestation": attestation})


def my_profile(request):
    context = _base_context(request)
    profile = services.profile_of(request.user)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_from(profile))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_profile(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Ihr Profil ist gespeichert."))
                return redirect("volunteering:self_service_profile")
        messages.error(request, _("Bitte prüfen Sie die markierten Felder."))
    context.update(form=form, profile=profile)
    return render(request, "volunteering/self_service/profile.html", context)


def my_applications(request):
    context = _base_context(request)
    page = paginate(request, reads.applications_of(request.user), 25)
    for application in page:
        application.opportunity_link = application.opportunity.get_absolute_url()
    context.update(applications=page, withdrawable=services.WITHDRAWABLE)
    return render(request, "volunteering/self_service/applications.html", context)


def withdraw_application(request, pk):
    """GET asks whether she means it (works without JavaScript); POST withdraws."""
    context = _base_context(request)
    try:
        application = reads.applications_of(request.user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        try:
            services.withdraw_application(user=request.user, application_id=application.pk)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("Ihre Bewerbung für „%(title)s“ ist zurückgezogen.")
                % {"title": application.opportunity.title},
            )
        return redirect(reverse("volunteering:self_service_applications"))
    context.update(
        application=application,
        is_open=application.status in services.WITHDRAWABLE,
    )
    return render(request, "volunteering/self_service/withdraw.html", context)
