"""The coordinators' pipeline: her shelter's volunteers as a table and as a board, a
person's record with stage, notes, messages, checklist and clearance, the shelter's e-mail
templates and checklist.

Every page starts from `Volunteer.objects.visible_to(user)` (or the viewer's own shelters):
whoever is outside gets a 404. Every view of a record is written to the access log.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles
from bfe.core.pagination import paginate
from bfe.places.models import LANGUAGE_NAMES, Shelter

from ..forms.pipeline import (
    AddVolunteerForm,
    ChecklistEntryForm,
    ChecklistItemForm,
    ClearanceForm,
    ContactForm,
    MessageTemplateForm,
    MoveForm,
    NewChecklistItemForm,
    NoteForm,
    PipelineFilterForm,
    SendMessageForm,
    StageForm,
)
from ..models import AccessLog, ChecklistItem, Clearance, MessageTemplate, Volunteer
from ..selectors import figures_for_shelters
from ..services import pipeline as services
from ..services import pipeline_onboarding as onboarding
from ..services.access import log_access
from ..services.pipeline_messages import PLACEHOLDERS, preview, template_for

PAGE_SIZE = 25
# A board column shows the most recently moved cards; the table shows them all.
BOARD_CARDS = 30
TEMPLATE_DIR = "volunteering/pipeline/"
Stage = Volunteer.Stage


def _private(response):
    """Personal data is never kept by shared caches or the browser's history."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _page(request, template, context):
    return _private(render(request, TEMPLATE_DIR + template, context))


def _own_shelters(request):
    """The viewer's current shelters, by name; 404 for anyone who coordinates none."""
    shelter_ids = Roles.of(request.user).shelter_ids
    if not shelter_ids:
        raise Http404
    return list(
        Shelter.objects.filter(pk__in=shelter_ids).select_related("district").order_by("name")
    )


def _current_shelter(request):
    """(shelter, shelters): the one picked with ?unterkunft= (POST too), else the first."""
    shelters = _own_shelters(request)
    wanted = request.POST.get("unterkunft") or request.GET.get("unterkunft")
    if not wanted:
        return shelters[0], shelters
    for shelter in shelters:
        if str(shelter.pk) == wanted:
            return shelter, shelters
    raise Http404


def _with_shelter(url, shelter, shelters, **params):
    if len(shelters) > 1:
        params = {"unterkunft": shelter.pk, **params}
    return url + ("?" + urlencode(params) if params else "")


def _record(request, pk):
    return get_object_or_404(
        Volunteer.objects.visible_to(request.user).select_related("shelter"), pk=pk
    )


def _shelter_context(shelter, shelters):
    return {"shelter": shelter, "shelters": shelters, "many_shelters": len(shelters) > 1}


# The table and the board --------------------------------------------------------------------


def pipeline(request):
    shelter, shelters = _current_shelter(request)
    filter_form = PipelineFilterForm(request.GET)
    chosen = filter_form.filters()
    volunteers = Volunteer.objects.visible_to(request.user).filter(shelter=shelter)
    if chosen["stage"]:
        volunteers = volunteers.filter(stage=chosen["stage"])
    if chosen["q"]:
        volunteers = volunteers.filter(
            Q(full_name__icontains=chosen["q"]) | Q(email__icontains=chosen["q"])
        )
    volunteers = volunteers.only(
        "pk", "full_name", "email", "phone", "stage", "stage_changed_at", "last_activity_at"
    ).order_by("full_name", "pk")
    figures = figures_for_shelters([shelter.pk])
    context = {
        **_shelter_context(shelter, shelters),
        "filter_form": filter_form,
        "chosen": chosen,
        "page": paginate(request, volunteers, PAGE_SIZE),
        "stage_counts": [(stage, figures[stage.value]) for stage in Stage],
        "total": sum(figures[stage.value] for stage in Stage),
    }
    template = "table.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return _page(request, template, context)


def _board_context(request, shelter, shelters):
    visible = Volunteer.objects.visible_to(request.user).filter(shelter=shelter)
    figures = figures_for_shelters([shelter.pk])
    columns = []
    for stage in Stage:
        cards = list(
            visible.filter(stage=stage)
            .only("pk", "full_name", "stage", "stage_changed_at")
            .order_by("-stage_changed_at", "-pk")[:BOARD_CARDS]
        )
        columns.append(
            {
                "stage": stage,
                "cards": cards,
                "count": figures[stage.value],
                "previous": services.neighbour_stage(stage, "previous"),
                "next": services.neighbour_stage(stage, "next"),
                "more": max(figures[stage.value] - len(cards), 0),
                "table_url": _with_shelter(
                    reverse("volunteering:pipeline"), shelter, shelters, stand=stage.value
                ),
            }
        )
    return {**_shelter_context(shelter, shelters), "columns": columns, "ended": Stage.ENDED}


def board(request):
    shelter, shelters = _current_shelter(request)
    return _page(request, "board.html", _board_context(request, shelter, shelters))


def move(request, pk):
    """One card a column on: htmx answers with the board, a plain form post goes back to it."""
    volunteer = _record(request, pk)
    shelters = _own_shelters(request)
    board_url = _with_shelter(reverse("volunteering:pipeline_board"), volunteer.shelter, shelters)
    if request.method != "POST":
        return redirect(board_url)
    form = MoveForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.move_on_board(
                volunteer=volunteer,
                direction=form.cleaned_data["direction"],
                actor=request.user,
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
    else:
        error = _("Das hat nicht geklappt. Bitte versuchen Sie es noch einmal.")
    if request.htmx:
        context = _board_context(request, volunteer.shelter, shelters)
        context.update({"board_error": error, "moved": volunteer})
        return _page(request, "board.html#board", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(name)s steht jetzt bei „%(stage)s“.")
            % {"name": volunteer.full_name, "stage": volunteer.stage_label},
        )
    return redirect(f"{board_url}#card-{volunteer.pk}")


def add(request):
    shelter, shelters = _current_shelter(request)
    if request.method == "POST":
        form = AddVolunteerForm(request.POST)
        if form.is_valid():
            volunteer, created = services.add_volunteer(
                shelter=shelter, actor=request.user, **form.cleaned_data
            )
            if created:
                messages.success(request, _("%(name)s ist eingetragen.") % {"name": volunteer})
            else:
                messages.info(
                    request,
                    _(
                        "Unter dieser E-Mail-Adresse gibt es schon einen Eintrag: %(name)s. "
                        "Leere Angaben wurden ergänzt, nichts überschrieben."
                    )
                    % {"name": volunteer},
                )
            return redirect(volunteer)
        messages.error(
            request, _("Bitte prüfen Sie die markierten Felder. Ihre Eingaben sind erhalten.")
        )
    else:
        form = AddVolunteerForm()
    return _page(request, "add.html", {**_shelter_context(shelter, shelters), "form": form})


# A person's record ----------------------------------------------------------------------------


def _detail_page(request, volunteer, **forms):
    log_access(volunteer=volunteer, actor=request.user, action=AccessLog.Action.VIEW)
    clearance = Clearance.objects.filter(volunteer=volunteer).first()
    context = {
        "volunteer": volunteer,
        "stage_form": forms.get("stage_form")
        or StageForm(
            initial={
                "stage": volunteer.stage,
                "end_reason": volunteer.end_reason,
                "end_note": volunteer.end_note,
            }
        ),
        "note_form": forms.get("note_form") or NoteForm(),
        "clearance_form": forms.get("clearance_form")
        or ClearanceForm(
            initial={
                "inspected_on": clearance.inspected_on,
                "issued_on": clearance.issued_on,
                "has_relevant_entry": clearance.has_relevant_entry,
            }
            if clearance
            else None
        ),
        "clearance": clearance,
        "checklist": onboarding.checklist_for(volunteer),
        "checklist_error": forms.get("checklist_error"),
        "notes": volunteer.notes.select_related("author"),
        "sent_messages": volunteer.messages.select_related("sent_by"),
        "applications": volunteer.applications.select_related("opportunity").order_by(
            "-created_at"
        ),
        "message_kinds": MessageTemplate.Kind.choices,
        "language_names": [LANGUAGE_NAMES.get(code, code) for code in volunteer.languages],
        "reinspect_years": settings.VOLUNTEER_CLEARANCE_REINSPECT_YEARS,
        "today": timezone.localdate(),
    }
    return _page(request, "detail.html", context)


def volunteer_detail(request, pk):
    return _detail_page(request, _record(request, pk))


def _back_to(volunteer, anchor):
    return redirect(f"{volunteer.get_absolute_url()}#{anchor}")


def contact(request, pk):
    volunteer = _record(request, pk)
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.update_contact(
                    volunteer=volunteer, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Die Kontaktdaten sind gespeichert."))
                return _back_to(volunteer, "kontakt")
        messages.error(
            request, _("Bitte prüfen Sie die markierten Felder. Ihre Eingaben sind erhalten.")
        )
    else:
        log_access(
            volunteer=volunteer,
            actor=request.user,
            action=AccessLog.Action.VIEW,
            detail="Kontakt bearbeiten",
        )
        form = ContactForm(
            initial={name: getattr(volunteer, name) for name in services.CONTACT_FIELDS}
        )
    return _page(request, "contact.html", {"volunteer": volunteer, "form": form})


def stage(request, pk):
    volunteer = _record(request, pk)
    if request.method != "POST":
        return _back_to(volunteer, "stand")
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.change_stage(volunteer=volunteer, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("end_reason", error)
        else:
            messages.success(
                request, _("Der Stand ist jetzt „%(stage)s“.") % {"stage": volunteer.stage_label}
            )
            return _back_to(volunteer, "stand")
    return _detail_page(request, volunteer, stage_form=form)


def note(request, pk):
    volunteer = _record(request, pk)
    if request.method != "POST":
        return _back_to(volunteer, "notizen")
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(volunteer=volunteer, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Die Notiz ist gespeichert."))
        return _back_to(volunteer, "notizen")
    return _detail_page(request, volunteer, note_form=form)


def checklist_tick(request, pk, item_pk):
    volunteer = _record(request, pk)
    item = get_object_or_404(ChecklistItem.objects.filter(shelter=volunteer.shelter), pk=item_pk)
    if request.method != "POST":
        return _back_to(volunteer, "checkliste")
    form = ChecklistEntryForm(request.POST)
    if form.is_valid():
        done_on = None if request.POST.get("undo") else form.cleaned_data["done_on"]
        if done_on is None and not request.POST.get("undo"):
            done_on = timezone.localdate()
        onboarding.set_checklist_entry(
            volunteer=volunteer, item=item, done_on=done_on, actor=request.user
        )
        return _back_to(volunteer, "checkliste")
    error = " ".join(message for errors in form.errors.values() for message in errors)
    return _detail_page(request, volunteer, checklist_error=(item.pk, error))


def clearance(request, pk):
    volunteer = _record(request, pk)
    if request.method != "POST":
        return _back_to(volunteer, "fuehrungszeugnis")
    if request.POST.get("delete"):
        if onboarding.delete_clearance(volunteer=volunteer, actor=request.user):
            messages.success(request, _("Die Angaben zum Führungszeugnis sind gelöscht."))
        return _back_to(volunteer, "fuehrungszeugnis")
    form = ClearanceForm(request.POST)
    if form.is_valid():
        try:
            onboarding.record_clearance(
                volunteer=volunteer, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Einsichtnahme ist eingetragen."))
            return _back_to(volunteer, "fuehrungszeugnis")
    return _detail_page(request, volunteer, clearance_form=form)


def message(request, pk):
    """Write to the person: a template filled in, edited, previewed, then sent by a task."""
    volunteer = _record(request, pk)
    kind = request.POST.get("kind") or request.GET.get("vorlage") or MessageTemplate.Kind.FREE
    if kind not in MessageTemplate.Kind.values:
        kind = MessageTemplate.Kind.FREE
    shown = None
    if request.method == "POST":
        form = SendMessageForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("action") == "send":
                    services.send_message(
                        volunteer=volunteer,
                        kind=data["kind"],
                        subject=data["subject"],
                        body=data["body"],
                        actor=request.user,
                    )
                    messages.success(
                        request, _("Die Nachricht wird gesendet; Sie finden sie im Verlauf.")
                    )
                    return _back_to(volunteer, "nachrichten")
                subject, body = preview(
                    volunteer=volunteer,
                    subject=data["subject"],
                    body=data["body"],
                    actor=request.user,
                )
                shown = {"subject": subject, "body": body}
            except ValidationError as error:
                form.add_error(None, error)
    else:
        # The page shows the person's name and address: a view of her record.
        log_access(
            volunteer=volunteer,
            actor=request.user,
            action=AccessLog.Action.VIEW,
            detail="Nachricht verfassen",
        )
        template = template_for(shelter=volunteer.shelter, kind=kind, language=volunteer.language)
        form = SendMessageForm(
            initial={"kind": kind, "subject": template["subject"], "body": template["body"]}
        )
    context = {
        "volunteer": volunteer,
        "form": form,
        "kind": kind,
        "kinds": MessageTemplate.Kind.choices,
        "preview": shown,
        "placeholders": PLACEHOLDERS,
    }
    return _page(request, "message.html", context)


# The shelter's templates and checklist -------------------------------------------------------


def templates(request):
    shelter, shelters = _current_shelter(request)
    rows = [
        {
            "kind": kind,
            "label": label,
            **template_for(shelter=shelter, kind=kind),
            "edit_url": _with_shelter(
                reverse("volunteering:pipeline_template", args=[kind]), shelter, shelters
            ),
        }
        for kind, label in MessageTemplate.Kind.choices
    ]
    context = {**_shelter_context(shelter, shelters), "rows": rows, "placeholders": PLACEHOLDERS}
    return _page(request, "templates.html", context)


def template_edit(request, kind):
    shelter, shelters = _current_shelter(request)
    if kind not in MessageTemplate.Kind.values:
        raise Http404
    back = _with_shelter(reverse("volunteering:pipeline_templates"), shelter, shelters)
    current = template_for(shelter=shelter, kind=kind)
    if request.method == "POST":
        if request.POST.get("reset"):
            services.reset_template(shelter=shelter, kind=kind)
            messages.success(request, _("Die Vorlage steht wieder auf dem Standardtext."))
            return redirect(back)
        form = MessageTemplateForm(request.POST)
        if form.is_valid():
            services.save_template(shelter=shelter, kind=kind, **form.cleaned_data)
            messages.success(request, _("Die Vorlage ist gespeichert."))
            return redirect(back)
        messages.error(
            request, _("Bitte prüfen Sie die markierten Felder. Ihre Eingaben sind erhalten.")
        )
    else:
        form = MessageTemplateForm(initial={"subject": current["subject"], "body": current["body"]})
    context = {
        **_shelter_context(shelter, shelters),
        "form": form,
        "kind": kind,
        "kind_label": MessageTemplate.Kind(kind).label,
        "is_default": current["is_default"],
        "placeholders": PLACEHOLDERS,
        "back_url": back,
    }
    return _page(request, "template_form.html", context)


def _checklist_page(request, shelter, shelters, *, new_form=None, bound=None):
    items = list(onboarding.checklist_items(shelter))
    forms = [
        bound
        if bound is not None and bound.instance.pk == item.pk
        else ChecklistItemForm(instance=item, prefix=f"item-{item.pk}")
        for item in items
    ]
    context = {
        **_shelter_context(shelter, shelters),
        "item_forms": forms,
        "new_form": new_form or NewChecklistItemForm(),
    }
    return _page(request, "checklist.html", context)


def checklist(request):
    shelter, shelters = _current_shelter(request)
    if request.method == "POST":
        form = NewChecklistItemForm(request.POST)
        if form.is_valid():
            onboarding.add_checklist_item(shelter=shelter, label=form.cleaned_data["label"])
            messages.success(request, _("Der Schritt ist hinzugefügt."))
            return redirect(
                _with_shelter(reverse("volunteering:pipeline_checklist"), shelter, shelters)
            )
        return _checklist_page(request, shelter, shelters, new_form=form)
    return _checklist_page(request, shelter, shelters)


def checklist_item(request, item_pk):
    shelters = _own_shelters(request)
    item = get_object_or_404(
        ChecklistItem.objects.filter(shelter__in=shelters).select_related("shelter"), pk=item_pk
    )
    back = _with_shelter(reverse("volunteering:pipeline_checklist"), item.shelter, shelters)
    if request.method != "POST":
        return redirect(back)
    form = ChecklistItemForm(request.POST, instance=item, prefix=f"item-{item.pk}")
    if form.is_valid():
        onboarding.update_checklist_item(
            item=item,
            label=form.cleaned_data["label"],
            position=form.cleaned_data["position"],
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("Der Schritt ist gespeichert."))
        return redirect(back)
    return _checklist_page(request, item.shelter, shelters, bound=form)
