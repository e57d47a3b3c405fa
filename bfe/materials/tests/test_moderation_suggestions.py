"""Suggestions: who may send them, what the admins and the suggester are told, and how staff
decide them."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.materials.models import Material, MaterialVersion, Suggestion
from bfe.materials.services import moderation
from bfe.materials.tests.factories import CategoryFactory, MaterialFactory, SuggestionFactory
from bfe.places.tests.factories import CoordinatorPositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.BFE_REQUIRE_STAFF_2FA = False


@pytest.fixture
def admin():
    person = UserFactory(email="leitung@example.org", language="de")
    RoleFactory(user=person, kind=Role.Kind.ADMIN)
    return person


@pytest.fixture
def coordinator():
    return CoordinatorPositionFactory(person__email="eak@example.org").person


def _suggest(client, **data):
    return client.post(reverse("materials:suggest"), {"message": "Hilft beim Einstieg.", **data})


def test_a_coordinator_can_open_the_suggestion_form(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("materials:suggest")).status_code == 200


@pytest.mark.parametrize("kind", [Role.Kind.VOLUNTEER, Role.Kind.PARTNER])
def test_volunteers_and_partners_get_404_on_every_moderation_page(client, kind):
    person = RoleFactory(kind=kind).user
    client.force_login(person)
    suggestion = SuggestionFactory()
    for url in [
        reverse("materials:suggest"),
        reverse("materials:my_suggestions"),
        reverse("materials:moderation"),
        reverse("materials:suggestion", args=[suggestion.pk]),
        reverse("materials:review"),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_coordinator_cannot_open_the_queue_or_decide(client, coordinator):
    suggestion = SuggestionFactory(url="https://example.org/x")
    client.force_login(coordinator)
    assert client.get(reverse("materials:moderation")).status_code == 404
    response = client.post(reverse("materials:suggestion_accept", args=[suggestion.pk]))
    assert response.status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


def test_a_new_suggestion_is_stored_and_mailed_to_the_admins(
    client, coordinator, admin, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _suggest(client, title="Leitfaden Führungszeugnis", url="https://example.org/fz")

    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.kind == Suggestion.Kind.NEW
    assert suggestion.suggested_by == coordinator
    assert [message.to for message in mail.outbox] == [["leitung@example.org"]]
    message = mail.outbox[0]
    assert "Neuer Materialvorschlag: Leitfaden Führungszeugnis" in message.subject
    assert "Hilft beim Einstieg." in message.body
    assert reverse("materials:suggestion", args=[suggestion.pk]) in message.body


def test_an_english_speaking_admin_gets_the_notice_in_english(
    client, coordinator, admin, django_capture_on_commit_callbacks
):
    admin.language = "en"
    admin.save()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        _suggest(client, title="Leitfaden", url="https://example.org/fz")

    assert "New material suggestion: Leitfaden" in mail.outbox[0].subject
    assert "Accept or reject:" in mail.outbox[0].body


def test_a_rejected_file_keeps_everything_else_she_typed(client, coordinator, admin):
    client.force_login(coordinator)
    fake_pdf = SimpleUploadedFile("leitfaden.pdf", b"not a pdf at all", "application/pdf")
    response = _suggest(client, title="Mein Leitfaden", url="https://example.org/l", file=fake_pdf)

    assert response.status_code == 200
    assert Suggestion.objects.count() == 0
    form = response.context["form"]
    assert form.errors["file"]
    assert form["title"].value() == "Mein Leitfaden"
    assert form["message"].value() == "Hilft beim Einstieg."
    assert 'value="Mein Leitfaden"' in response.content.decode()


def test_a_suggestion_without_title_or_message_is_shown_again_with_errors(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("materials:suggest"), {"title": "", "message": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "message"}


def test_a_correction_names_the_material_she_can_see(client, coordinator):
    material = MaterialFactory(title="Versicherungsschutz")
    client.force_login(coordinator)
    url = reverse("materials:suggest") + f"?material={material.pk}"
    assert "Versicherungsschutz" in client.get(url).content.decode()

    response = client.post(url, {"message": "Die Telefonnummer hat sich geändert."})

    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.kind, suggestion.material) == (Suggestion.Kind.CORRECTION, material)


def test_a_correction_of_an_archived_material_gets_404(client, coordinator):
    material = MaterialFactory(status=Material.Status.ARCHIVED)
    client.force_login(coordinator)
    url = reverse("materials:suggest") + f"?material={material.pk}"
    assert client.get(url).status_code == 404
    assert client.get(reverse("materials:suggest") + "?material=abc").status_code == 404


def test_accepting_a_link_twice_creates_one_material(client, admin, coordinator):
    category = CategoryFactory(slug="recht", name="Recht")
    suggestion = SuggestionFactory(
        suggested_by=coordinator, title="Merkblatt", url="https://example.org/m", category=category
    )
    client.force_login(admin)
    url = reverse("materials:suggestion_accept", args=[suggestion.pk])

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == second.status_code == 302
    material = Material.objects.get()
    assert (material.kind, material.title, material.category) == (
        Material.Kind.LINK,
        "Merkblatt",
        category,
    )
    assert material.audience == Material.Audience.INTERNAL
    assert "merkblatt" in material.search_terms
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ACCEPTED
    assert suggestion.created_material == material
    assert suggestion.decided_by == admin


def test_accepting_a_file_makes_its_first_version_and_reads_its_text(admin, coordinator):
    CategoryFactory(slug="vorlagen", name="Vorlagen")
    suggestion = moderation.suggest(
        by=coordinator,
        title="Checkliste",
        message="Für den ersten Tag.",
        checked_upload=_checked(b"Checkliste Erstgespraech mit Freiwilligen", "liste.txt"),
    )

    accepted = moderation.accept(suggestion=suggestion, by=admin)

    material = accepted.created_material
    assert material.kind == Material.Kind.FILE
    version = material.current_version
    assert (version.number, version.file_name, version.file_type) == (1, "liste.txt", "TXT")
    assert MaterialVersion.objects.filter(material=material).count() == 1


def _checked(content, name):
    from bfe.core.uploads import check_upload

    return check_upload(SimpleUploadedFile(name, content, "text/plain"))


def test_accepting_a_correction_creates_no_material_and_points_to_the_material(admin):
    material = MaterialFactory()
    suggestion = SuggestionFactory(kind=Suggestion.Kind.CORRECTION, material=material)

    accepted = moderation.accept(suggestion=suggestion, by=admin)

    assert accepted.status == Suggestion.Status.ACCEPTED
    assert accepted.created_material is None
    assert Material.objects.count() == 1


def test_a_rejection_needs_a_reason(client, admin):
    suggestion = SuggestionFactory()
    client.force_login(admin)

    response = client.post(
        reverse("materials:suggestion_reject", args=[suggestion.pk]), {"reason": " "}
    )

    assert response.status_code == 200
    assert "Bitte begründen Sie die Ablehnung." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


def test_the_suggester_is_told_the_reason_in_her_language(
    client, admin, django_capture_on_commit_callbacks
):
    suggester = UserFactory(email="eak@example.org", language="en")
    suggestion = SuggestionFactory(suggested_by=suggester, title="Alte Broschüre")
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("materials:suggestion_reject", args=[suggestion.pk]),
            {"reason": "Gibt es schon in der Bibliothek."},
        )

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["eak@example.org"]]
    message = mail.outbox[0]
    assert "Your suggestion was rejected" in message.subject
    assert "Gibt es schon in der Bibliothek." in message.body


def test_the_suggester_hears_in_german_that_her_suggestion_was_accepted(
    admin, django_capture_on_commit_callbacks
):
    suggester = UserFactory(email="eak@example.org", language="de")
    suggestion = SuggestionFactory(suggested_by=suggester, url="https://example.org/a")
    CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.accept(suggestion=suggestion, by=admin)

    assert "Ihr Vorschlag wurde angenommen" in mail.outbox[0].subject
    assert reverse("materials:my_suggestions") in mail.outbox[0].body


def test_the_queue_lists_open_suggestions_first_and_filters_by_status(client, admin):
    decided = SuggestionFactory(title="Entschieden", status=Suggestion.Status.REJECTED)
    open_one = SuggestionFactory(title="Offen")
    decided.created_at = open_one.created_at.replace(year=open_one.created_at.year + 1)
    decided.save()
    client.force_login(admin)

    everything = client.get(reverse("materials:moderation"))
    rejected = client.get(reverse("materials:moderation") + "?status=rejected")

    assert [s.title for s in everything.context["page"].object_list] == ["Offen", "Entschieden"]
    assert [s.title for s in rejected.context["page"].object_list] == ["Entschieden"]


def test_the_queue_and_a_suggestion_take_a_fixed_number_of_queries(
    client, admin, django_assert_max_num_queries
):
    material = MaterialFactory()
    for _ in range(12):
        SuggestionFactory(kind=Suggestion.Kind.CORRECTION, material=material)
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("materials:moderation")).status_code == 200
    suggestion = Suggestion.objects.first()
    with django_assert_max_num_queries(12):
        url = reverse("materials:suggestion", args=[suggestion.pk])
        assert client.get(url).status_code == 200


def test_her_suggestions_list_only_hers_with_their_status(client, coordinator):
    SuggestionFactory(suggested_by=coordinator, title="Meiner", status=Suggestion.Status.ACCEPTED)
    SuggestionFactory(title="Fremder")
    client.force_login(coordinator)

    response = client.get(reverse("materials:my_suggestions"))

    page = response.content.decode()
    assert "Meiner" in page and "Angenommen" in page
    assert "Fremder" not in page


def test_the_suggestion_form_renders_in_english(client, coordinator):
    coordinator.language = "en"
    coordinator.save()
    client.force_login(coordinator)
    response = client.get(reverse("materials:suggest"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Suggest a material" in response.content.decode()
