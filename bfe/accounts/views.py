from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bfe.core import pdf, personal_data
from bfe.core.pagination import paginate
from bfe.core.ratelimits import limit_failed_lookups

from . import selectors, services
from .forms import DeleteAccountForm, InvitationFilterForm, InvitationForm, NewAccountForm
from .models import Invitation


def invitation_list(request):
    """The project lead's invitations, filtered by status, with the form to invite someone."""
    if not services.can_invite(request.user):
        raise Http404
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invite(invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Die Einladung an %(email)s ist unterwegs.") % {"email": invitation.email},
            )
            return redirect("accounts:invitation_list")
    filters = InvitationFilterForm(request.GET)
    invitations = Invitation.objects.visible_to(request.user).select_related(
        "region", "shelter", "invited_by", "accepted_by"
    )
    if filters.is_valid() and filters.cleaned_data["status"]:
        invitations = invitations.with_status(filters.cleaned_data["status"])
    page = paginate(request, invitations, settings.DIRECTORY_PAGE_SIZE)
    return render(
        request,
        "accounts/invitation_list.html",
        {"form": form, "filters": filters, "page": page},
    )


def _change_invitation(request, pk, change, success_message):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user), pk=pk)
    try:
        change(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success_message % {"email": invitation.email})
    return redirect("accounts:invitation_list")


@require_POST
def invitation_revoke(request, pk):
    return _change_invitation(
        request,
        pk,
        services.revoke_invitation,
        _("Die Einladung an %(email)s ist zurückgezogen; ihr Link gilt nicht mehr."),
    )


@require_POST
def invitation_resend(request, pk):
    return _change_invitation(
        request,
        pk,
        services.resend_invitation,
        _("Die Einladung an %(email)s ist mit einem neuen Link erneut unterwegs."),
    )


def _unavailable(request, invitation):
    """A friendly page for unknown (404) and used, revoked or expired (410) links."""
    return render(
        request,
        "accounts/invitation_unavailable.html",
        {"invitation": invitation, "Status": Invitation.Status},
        status=410 if invitation else 404,
    )


@login_not_required
@never_cache
@limit_failed_lookups("invitation_link_failed")
def invitation_accept(request, token):
    """The public page behind an invitation link: create an account, or sign in and accept."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return _unavailable(request, None)
    if (
        invitation.accepted_at
        and request.user.is_authenticated
        and invitation.accepted_by_id == request.user.pk
    ):
        # A second click or a double submit after accepting: nothing left to do.
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not invitation.is_pending:
        return _unavailable(request, invitation)
    context = {"invitation": invitation}
    if request.user.is_authenticated:
        if not selectors.is_invited_person(invitation, request.user):
            return render(request, "accounts/invitation_wrong_account.html", context)
        return _accept_as_signed_in_person(request, invitation)
    if selectors.account_for_invitation(invitation):
        return render(request, "accounts/invitation_sign_in.html", context)
    return _accept_with_new_account(request, invitation)


def _accept_as_signed_in_person(request, invitation):
    error = None
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Einladung angenommen: Sie sind jetzt %(role)s.")
                % {"role": invitation.get_kind_display()},
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request, "accounts/invitation_confirm.html", {"invitation": invitation, "error": error}
    )


def _accept_with_new_account(request, invitation):
    form = NewAccountForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account_for_invitation(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Ihr Konto ist angelegt. Sie sind jetzt %(role)s.")
                % {"role": invitation.get_kind_display()},
            )
            return perform_login(request, user, redirect_url=reverse(settings.LOGIN_REDIRECT_URL))
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form},
    )


# --- Meine Daten: export, consents, deletion (bfe/core/personal_data.py) ------------------------


def _export_context(request):
    data = personal_data.export(request.user, serialisable=False)
    sections = [section for app in data["apps"] for section in app["sections"]]
    return {
        "data": data,
        "consents": data["consents"],
        "sections": [section for section in sections if section["items"]],
        "empty_sections": [section for section in sections if not section["items"]],
    }


@never_cache
def my_data(request):
    """What the platform holds about the signed-in person, readable, with the export, the
    consents she may withdraw and the way to delete her account."""
    return render(request, "accounts/my_data.html", _export_context(request))


@never_cache
def my_data_print(request):
    """The same, as a page to print or save as PDF from the browser."""
    return render(request, "accounts/my_data_print.html", _export_context(request))


@never_cache
def my_data_pdf(request):
    """The same as a PDF to keep (WeasyPrint, the project's fonts)."""
    html = render_to_string("pdf/my_data.html", _export_context(request), request=request)
    response = HttpResponse(pdf.render_pdf(html), content_type="application/pdf")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="bfe-meine-daten-{day}.pdf"'
    return response


@never_cache
def my_data_json(request):
    """Everything, as JSON to download (Art. 15 and 20 DSGVO)."""
    response = JsonResponse(
        personal_data.export(request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="bfe-meine-daten-{day}.json"'
    return response


@require_POST
def consent_withdraw(request, key):
    if services.withdraw_consent(user=request.user, key=key):
        messages.success(
            request,
            _(
                "Ihre Einwilligung ist widerrufen. Die Koordination der Unterkunft weiß "
                "Bescheid; Ihre Plätze in kommenden Einsätzen sind frei."
            ),
        )
    else:
        messages.error(request, _("Diese Einwilligung gibt es nicht (mehr)."))
    return redirect("accounts:my_data")


@never_cache
def account_delete(request):
    """Delete the account and everything on it, confirmed with the password; the last
    project lead is refused with the reason."""
    refusals = services.erasure_refusals(request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and not refusals:
        limited = ratelimit.consume_or_429(request, action="reauthenticate", user=request.user)
        if limited:
            return limited
        if form.is_valid():
            try:
                services.erase_person(user=request.user)
            except ValidationError as error:
                refusals = error.messages
            else:
                logout(request)
                return redirect("accounts:account_deleted")
    return render(request, "accounts/account_delete.html", {"form": form, "refusals": refusals})


@login_not_required
def account_deleted(request):
    return render(request, "accounts/account_deleted.html")
