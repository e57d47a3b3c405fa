"""Suggestions and their moderation, and the review of materials. Coordinators and BfE staff
suggest; staff moderate and review. Everybody else gets 404, as if the pages did not exist."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bfe.accounts.models import Roles
from bfe.core.pagination import paginate

from ..emails import material_url
from ..forms.moderation import QueueFilter, RejectForm, SuggestionForm
from ..models import Material, Suggestion
from ..services import moderation as services
from ..services import review as review_services

QUEUE_PAGE_SIZE = 30
REVIEW_PAGE_SIZE = 30


def _staff(request):
    if not Roles.of(request.user).is_bfe_staff:
        raise Http404


def _corrected_material(request):
    """The material of `?material=<pk>`, if the person can see it; 404 otherwise."""
    raw = request.GET.get("material") or request.POST.get("material") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Material.objects.visible_to(request.user), pk=int(raw))


def suggest(request):
    if not services.may_suggest(request.user):
        raise Http404
    material = _corrected_material(request)
    form = SuggestionForm(request.POST or None, request.FILES or None, material=material)
    if request.method == "POST" and form.is_valid():
        try:
            services.suggest(by=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Danke! Ihr Vorschlag ist bei der BfE-Redaktion angekommen.")
            )
            return redirect("materials:my_suggestions")
    return render(
        request,
        "materials/moderation/suggest.html",
        {"form": form, "material": material, "material_url": _url(material)},
    )


def _url(material, name="materials:detail"):
    return material_url(material, name) if material is not None else ""


def my_suggestions(request):
    if not services.may_suggest(request.user):
        raise Http404
    suggestions = (
        Suggestion.objects.filter(suggested_by=request.user)
        .select_related("material")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "materials/moderation/my_suggestions.html",
        {"page": paginate(request, suggestions, QUEUE_PAGE_SIZE)},
    )


def queue(request):
    _staff(request)
    form = QueueFilter(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    suggestions = Suggestion.objects.visible_to(request.user).select_related(
        "suggested_by", "material"
    )
    if status:
        suggestions = suggestions.filter(status=status)
    # Open ones first, the newest first within each status.
    pending_first = Case(
        When(status=Suggestion.Status.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    suggestions = suggestions.order_by(pending_first, "-created_at", "-pk")
    return render(
        request,
        "materials/moderation/queue.html",
        {
            "form": form,
            "status": status,
            "statuses": Suggestion.Status,
            "page": paginate(request, suggestions, QUEUE_PAGE_SIZE),
        },
    )


def _suggestion(request, pk):
    _staff(request)
    return get_object_or_404(
        Suggestion.objects.visible_to(request.user).select_related(
            "suggested_by", "material", "category", "decided_by", "created_material"
        ),
        pk=pk,
    )


def _detail(request, suggestion, reject_form=None, status=200):
    context = {
        "suggestion": suggestion,
        "reject_form": reject_form or RejectForm(),
        "material_url": _url(suggestion.material),
        "edit_url": _url(suggestion.material, "materials:edit"),
        "created_url": _url(suggestion.created_material),
        "created_edit_url": _url(suggestion.created_material, "materials:edit"),
    }
    return render(request, "materials/moderation/detail.html", context, status=status)


def suggestion_detail(request, pk):
    return _detail(request, _suggestion(request, pk))


def suggestion_file(request, pk):
    """The file of a suggestion, for staff only (a download, never shown inline)."""
    suggestion = _suggestion(request, pk)
    if not suggestion.file:
        raise Http404
    try:
        stream = suggestion.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream, as_attachment=True, filename=suggestion.file_name or "vorschlag"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def suggestion_accept(request, pk):
    suggestion = _suggestion(request, pk)
    if suggestion.status != Suggestion.Status.PENDING:
        messages.info(request, _("Über diesen Vorschlag ist schon entschieden."))
        return redirect("materials:suggestion", suggestion.pk)
    try:
        suggestion = services.accept(suggestion=suggestion, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("materials:suggestion", suggestion.pk)
    if suggestion.created_material_id:
        messages.success(
            request,
            _(
                "Angenommen: „%(title)s“ steht jetzt intern in der Bibliothek. Prüfen und ergänzen "
                "Sie es."
            )
            % {"title": suggestion.created_material.title},
        )
    else:
        messages.success(
            request, _("Angenommen. Übernehmen Sie die Korrektur auf der Seite des Materials.")
        )
    return redirect("materials:suggestion", suggestion.pk)


@require_POST
def suggestion_reject(request, pk):
    suggestion = _suggestion(request, pk)
    if suggestion.status != Suggestion.Status.PENDING:
        messages.info(request, _("Über diesen Vorschlag ist schon entschieden."))
        return redirect("materials:suggestion", suggestion.pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, suggestion, reject_form=form)
    services.reject(suggestion=suggestion, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Abgelehnt. Die Person bekommt Ihre Begründung per E-Mail."))
    return redirect("materials:moderation")


def review(request):
    _staff(request)
    materials = review_services.due().select_related("category")
    page = paginate(request, materials, REVIEW_PAGE_SIZE)
    for material in page.object_list:
        material.page_url = _url(material)
    return render(request, "materials/review.html", {"page": page})


@require_POST
def mark_reviewed(request, pk):
    _staff(request)
    material = get_object_or_404(Material.objects.curated_by(request.user), pk=pk)
    review_services.mark_reviewed(material=material, by=request.user)
    messages.success(
        request, _("„%(title)s“ ist als geprüft und aktuell vermerkt.") % {"title": material.title}
    )
    return redirect("materials:review")
