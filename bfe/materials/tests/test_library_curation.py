"""Staff curate the library: new materials (file or link), edits, replaced files that keep
their earlier versions, archive and restore. A refused file keeps everything else typed."""

# The fixtures are imported by name (see factories_library); pytest passes them as arguments.
# ruff: noqa: F811

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bfe.materials.models import Material, MaterialVersion, Tag
from bfe.materials.services import library as services
from bfe.materials.services.indexing import fold

from .factories import MaterialFactory, MaterialVersionFactory
from .factories_library import (  # noqa: F401
    EXE,
    category,
    coordinator,
    library_defaults,
    partner,
    pdf_file,
    pptx_file,
    regional,
    staff,
    text_file,
    volunteer,
)

pytestmark = pytest.mark.django_db
CREATE = "/materialien/neu/"


def form_data(category, **changes):
    return {
        "kind": "file",
        "title": "Leitfaden Führungszeugnis",
        "summary": "Wie Ehrenamtliche das erweiterte Führungszeugnis beantragen.",
        "category": category.pk,
        "tags": "Führungszeugnis, Ehrenamt, führungszeugnis",
        "languages": ["de", "ar"],
        "audience": "public",
        "source": "BfE Berlin",
        "licence": "CC BY 4.0",
        "published_on": "2026-03-01",
        "reviewed_on": "2026-03-15",
        "url": "",
        **changes,
    }


def test_staff_publish_a_file_that_is_read_for_search(
    client, regional, category, django_capture_on_commit_callbacks
):
    client.force_login(regional)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(CREATE, {**form_data(category), "file": text_file()})
    material = Material.objects.get()
    # Nothing is read inside the request's transaction: the task is enqueued after the commit.
    assert material.current_version.extraction_status == MaterialVersion.Extraction.PENDING
    for callback in callbacks:
        callback()
    assert response.status_code == 302 and response["Location"] == material.get_absolute_url()
    assert material.kind == "file" and material.file_type == "TXT"
    assert material.current_version.number == 1
    assert material.current_version.uploaded_by == regional
    assert sorted(material.language_codes) == ["ar", "de"]
    assert sorted(t.name for t in material.tags.all()) == ["Ehrenamt", "Führungszeugnis"]
    # The tests' immediate task backend read the text once the change was committed.
    material.refresh_from_db()
    assert material.current_version.extraction_status == MaterialVersion.Extraction.DONE
    assert "fuhrungszeugnis" in material.search_text
    assert "so geht es" in material.file_text


def test_staff_publish_a_link(client, staff, category):
    client.force_login(staff)
    client.post(CREATE, form_data(category, kind="link", url="https://example.org/fz"))
    material = Material.objects.get()
    assert material.kind == "link" and material.file_type == "LINK"
    assert material.url == "https://example.org/fz" and material.current_version is None


def test_a_link_needs_its_address_and_a_file_its_file(client, staff, category):
    client.force_login(staff)
    link = client.post(CREATE, form_data(category, kind="link"))
    assert "url" in link.context["form"].errors
    file = client.post(CREATE, form_data(category))
    assert "file" in file.context["form"].errors
    assert not Material.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: text_file(name="programm.exe"), "erlaubt sind nur"),
        (
            lambda: pdf_file(name="tarnung.pdf").__class__("tarnung.pdf", EXE),
            "keine echte PDF-Datei",
        ),
        (lambda: text_file(text="", name="leer.txt"), "ist leer"),
    ],
    ids=["type", "content", "empty"],
)
def test_a_refused_file_gets_its_message_and_every_other_field_keeps_its_value(
    client, staff, category, upload, message
):
    client.force_login(staff)
    data = form_data(category)
    response = client.post(CREATE, {**data, "file": upload()})
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors["file"])
    assert list(form.errors) == ["file"]
    page = response.content.decode()
    for key in ("title", "summary", "source", "licence", "published_on", "reviewed_on"):
        assert str(data[key]) in page, key
    assert 'value="Führungszeugnis, Ehrenamt, führungszeugnis"' in page
    for language in ("de", "ar"):
        assert re.search(rf'value="{language}"[^>]*checked', page), language
    assert re.search(r'value="public"[^>]*checked', page)
    assert not Material.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, staff, category, settings):
    settings.MATERIAL_MAX_UPLOAD_BYTES = 10
    client.force_login(staff)
    response = client.post(CREATE, {**form_data(category), "file": text_file()})
    assert "erlaubt sind höchstens" in " ".join(response.context["form"].errors["file"])


def test_slides_are_accepted_as_materials(client, staff, category):
    client.force_login(staff)
    client.post(CREATE, {**form_data(category), "file": pptx_file()})
    assert Material.objects.get().file_type == "PPTX"


def test_an_edit_saves_the_fields_and_reindexes(client, staff, category):
    material = MaterialFactory(title="Alt", tags=["Alt"])
    client.force_login(staff)
    response = client.post(
        reverse("materials:edit", args=[material.pk]),
        form_data(category, kind="link", url="https://example.org/neu", title="Neu", tags="Frisch"),
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.title == "Neu" and material.category == category
    assert [t.name for t in material.tags.all()] == ["Frisch"]
    assert "frisch" in material.search_terms and "alt" not in material.search_terms
    assert Tag.objects.filter(name="Alt").exists()  # other materials may still use it


def test_the_edit_form_starts_with_the_material_as_it_is(client, staff):
    material = MaterialFactory(title="Checkliste", tags=["Datenschutz", "DSGVO"])
    material.languages.create(language="uk")
    client.force_login(staff)
    form = client.get(reverse("materials:edit", args=[material.pk])).context["form"]
    assert form["title"].value() == "Checkliste"
    assert form["tags"].value() == "DSGVO, Datenschutz"
    assert form["languages"].value() == ["uk"]


def test_replacing_the_file_keeps_the_earlier_versions(
    client, staff, django_capture_on_commit_callbacks
):
    material = MaterialVersionFactory(number=1, extracted_text="alte Fassung").material
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("materials:replace", args=[material.pk]),
            {"file": text_file("neue Rechtslage"), "note": "Neue Rechtslage ab 2026"},
        )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.current_version.number == 2
    assert material.current_version.note == "Neue Rechtslage ab 2026"
    assert list(material.versions.values_list("number", flat=True)) == [2, 1]
    assert fold("neue Rechtslage") in material.search_text
    assert fold("alte Fassung") not in material.search_text


def test_a_refused_replacement_keeps_the_note_and_the_current_file(client, staff):
    material = MaterialVersionFactory(number=1).material
    client.force_login(staff)
    response = client.post(
        reverse("materials:replace", args=[material.pk]),
        {"file": text_file(name="virus.exe"), "note": "Mein Hinweis"},
    )
    assert "erlaubt sind nur" in " ".join(response.context["form"].errors["file"])
    assert "Mein Hinweis" in response.content.decode()
    assert material.versions.count() == 1


def test_archived_materials_leave_the_library_and_staff_can_restore_them(
    client, staff, coordinator
):
    material = MaterialFactory()
    client.force_login(staff)
    url = reverse("materials:archive", args=[material.pk])
    assert client.get(url).status_code == 200
    client.post(url)
    assert not Material.objects.visible_to(coordinator).filter(pk=material.pk).exists()
    client.post(url, {"restore": "1"})
    assert Material.objects.visible_to(coordinator).filter(pk=material.pk).exists()


@pytest.mark.parametrize("who", ["coordinator", "volunteer", "partner"])
def test_only_staff_curate(client, who, coordinator, volunteer, partner, category):
    person = {"coordinator": coordinator, "volunteer": volunteer, "partner": partner}[who]
    material = MaterialFactory(audience=Material.Audience.PUBLIC)
    client.force_login(person)
    for name, args in [
        ("materials:create", []),
        ("materials:edit", [material.pk]),
        ("materials:replace", [material.pk]),
        ("materials:archive", [material.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
        assert client.post(reverse(name, args=args), form_data(category)).status_code == 404
    material.refresh_from_db()
    assert material.status == "published" and Material.objects.count() == 1


def test_the_services_refuse_anyone_but_staff(coordinator, category):
    with pytest.raises(PermissionDenied):
        services.create_material(
            by=coordinator, kind="link", title="x", category=category, url="https://x.org"
        )


def test_tags_are_split_on_commas_and_deduplicated_by_their_slug():
    assert services.tag_names(" Führungszeugnis ,ehrenamt,, Ehrenamt ,  ") == [
        "Führungszeugnis",
        "ehrenamt",
    ]
