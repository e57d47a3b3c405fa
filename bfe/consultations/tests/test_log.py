"""The regional coordinators' log: services, and the pages for who may and who may not."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations.models import Consultation, ConsultationRequest, Format
from bfe.consultations.services import log as services
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import (
    AttachmentFactory,
    ConsultationFactory,
    ConsultationRequestFactory,
    TopicFactory,
    topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(shelter):
    person = UserFactory(email="eak@example.org", full_name="Erika Ehrenamt")
    CoordinatorPositionFactory(shelter=shelter, person=person)
    return person


def regional_coordinator(slug, **user):
    return RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region(slug), **user).user


@pytest.fixture
def regional():
    return regional_coordinator("nord", user__full_name="Rita Region")


@pytest.fixture
def regional_west():
    return regional_coordinator("west")


@pytest.fixture
def admin():
    return RoleFactory(kind=Role.Kind.ADMIN).user


def log(**overrides):
    """log_consultation with the values of a typical consultation."""
    arguments = {
        "held_on": timezone.localdate(),
        "duration_minutes": 60,
        "format": Format.ON_SITE,
        "other_participants": "",
        "topics": [topic("gewinnung")],
        "confidential_note": "Vertraulich: Ärger mit der Heimleitung.",
        "next_steps": "Vorlage schicken.",
        **overrides,
    }
    arguments.setdefault("participants", [])
    return services.log_consultation(**arguments)


def form_data(shelter, **overrides):
    data = {
        "shelter": shelter.pk,
        "held_on": timezone.localdate().isoformat(),
        "duration_minutes": "60",
        "format": Format.ON_SITE,
        "participants": [],
        "other_participants": "",
        "topics": [topic("gewinnung").pk],
        "next_steps": "Vorlage für Ehrenamtsvereinbarung schicken.",
        "confidential_note": "Vertraulich: Konflikt mit der Heimleitung.",
        "submission_key": "a" * 32,
    }
    data.update(overrides)
    return data


# Services --------------------------------------------------------------------------------------


class TestLogConsultation:
    def test_logs_in_the_shelters_region_with_participants_topics_and_logger(
        self, regional, shelter, coordinator
    ):
        consultation = log(
            logged_by=regional,
            shelter=shelter,
            participants=[coordinator],
            topics=[topic("gewinnung"), topic("konflikte")],
        )

        consultation.refresh_from_db()
        assert consultation.region == berlin_region("nord")
        assert consultation.logged_by == regional
        assert list(consultation.participants.all()) == [coordinator]
        assert {t.slug for t in consultation.topics.all()} == {"gewinnung", "konflikte"}

    def test_staff_of_another_region_may_not_log_for_the_shelter(self, regional_west, shelter):
        with pytest.raises(PermissionDenied):
            log(logged_by=regional_west, shelter=shelter)
        assert not Consultation.objects.exists()

    def test_a_coordinator_may_not_log_even_for_her_own_shelter(self, coordinator, shelter):
        with pytest.raises(PermissionDenied):
            log(logged_by=coordinator, shelter=shelter, participants=[coordinator])

    def test_the_lead_may_log_in_any_region(self, admin):
        spandau = ShelterFactory(district=berlin_district("05"))

        consultation = log(logged_by=admin, shelter=spandau)

        assert consultation.region == berlin_region("west")

    def test_persons_consulted_must_be_coordinators_of_the_shelter(self, regional, shelter):
        stranger = UserFactory()
        elsewhere = UserFactory()
        CoordinatorPositionFactory(person=elsewhere, shelter__district=berlin_district("01"))

        for person in (stranger, elsewhere):
            with pytest.raises(ValidationError):
                log(logged_by=regional, shelter=shelter, participants=[person])
        assert not Consultation.objects.exists()

    def test_a_past_coordinator_of_the_shelter_may_be_recorded(self, regional, shelter):
        former = UserFactory()
        CoordinatorPositionFactory(
            shelter=shelter,
            person=former,
            starts_on=datetime.date(2020, 1, 1),
            ends_on=datetime.date(2022, 1, 1),
        )

        consultation = log(
            logged_by=regional,
            shelter=shelter,
            participants=[former],
            held_on=datetime.date(2021, 6, 1),
        )

        assert list(consultation.participants.all()) == [former]

    def test_a_retired_topic_cannot_be_chosen_for_a_new_consultation(self, regional, shelter):
        retired = TopicFactory(is_active=False)

        with pytest.raises(ValidationError):
            log(logged_by=regional, shelter=shelter, topics=[retired])

    def test_at_least_one_topic_is_needed(self, regional, shelter):
        with pytest.raises(ValidationError):
            log(logged_by=regional, shelter=shelter, topics=[])

    def test_answering_a_request_links_it_and_marks_it_done(self, regional, shelter, coordinator):
        request = ConsultationRequestFactory(shelter=shelter, requested_by=coordinator)

        consultation = log(
            logged_by=regional, shelter=shelter, participants=[coordinator], request=request
        )

        request.refresh_from_db()
        assert request.status == ConsultationRequest.Status.DONE
        assert request.consultation == consultation

    def test_a_request_from_another_shelter_is_refused(self, regional, shelter):
        request = ConsultationRequestFactory()

        with pytest.raises(ValidationError):
            log(logged_by=regional, shelter=shelter, request=request)
        request.refresh_from_db()
        assert request.status == ConsultationRequest.Status.OPEN

    def test_a_request_is_answered_only_once(self, regional, shelter):
        request = ConsultationRequestFactory(shelter=shelter)
        log(logged_by=regional, shelter=shelter, request=request)

        with pytest.raises(ValidationError):
            log(logged_by=regional, shelter=shelter, request=request)
        assert Consultation.objects.count() == 1

    def test_a_request_of_another_region_cannot_be_answered(self, regional_west):
        request = ConsultationRequestFactory()
        spandau = ShelterFactory(district=berlin_district("05"))

        with pytest.raises((PermissionDenied, ValidationError)):
            log(logged_by=regional_west, shelter=spandau, request=request)

    def test_the_same_submission_logs_only_once(
        self, regional, shelter, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = log(logged_by=regional, shelter=shelter, submission_key="k1")

        with pytest.raises(services.DuplicateSubmission) as duplicate:
            log(logged_by=regional, shelter=shelter, submission_key="k1")

        assert duplicate.value.consultation_id == first.pk
        assert Consultation.objects.count() == 1

    def test_a_submission_still_being_saved_is_not_logged_again(self, regional, shelter):
        cache.add(f"consultations:log:{regional.pk}:k2", 0)

        with pytest.raises(services.DuplicateSubmission) as duplicate:
            log(logged_by=regional, shelter=shelter, submission_key="k2")

        assert duplicate.value.consultation_id is None
        assert not Consultation.objects.exists()

    def test_a_refused_submission_may_be_sent_again_with_the_same_key(self, regional, shelter):
        with pytest.raises(ValidationError):
            log(logged_by=regional, shelter=shelter, topics=[], submission_key="k3")

        log(logged_by=regional, shelter=shelter, submission_key="k3")

        assert Consultation.objects.count() == 1

    def test_different_people_may_use_the_same_key(self, regional, admin, shelter):
        log(logged_by=regional, shelter=shelter, submission_key="same")
        log(logged_by=admin, shelter=shelter, submission_key="same")

        assert Consultation.objects.count() == 2


class TestUpdateConsultation:
    def arguments(self, consultation, **overrides):
        return {
            "consultation": consultation,
            "shelter": consultation.shelter,
            "held_on": consultation.held_on,
            "duration_minutes": 90,
            "format": Format.PHONE,
            "participants": list(consultation.participants.all()),
            "other_participants": "Einrichtungsleitung",
            "topics": list(consultation.topics.all()),
            "confidential_note": "Neue Notiz",
            "next_steps": "Neue Schritte",
            **overrides,
        }

    def test_changes_what_was_logged(self, regional, shelter, coordinator):
        consultation = ConsultationFactory(shelter=shelter, participants=[coordinator])

        services.update_consultation(edited_by=regional, **self.arguments(consultation))

        consultation.refresh_from_db()
        assert consultation.duration_minutes == 90
        assert consultation.format == Format.PHONE
        assert consultation.confidential_note == "Neue Notiz"
        assert consultation.other_participants == "Einrichtungsleitung"

    def test_staff_of_another_region_may_not_change_it(self, regional_west, shelter):
        consultation = ConsultationFactory(shelter=shelter)

        with pytest.raises(PermissionDenied):
            services.update_consultation(edited_by=regional_west, **self.arguments(consultation))

    def test_a_consulted_coordinator_may_not_change_it(self, coordinator, shelter):
        consultation = ConsultationFactory(shelter=shelter, participants=[coordinator])

        with pytest.raises(PermissionDenied):
            services.update_consultation(edited_by=coordinator, **self.arguments(consultation))

    def test_moving_to_a_shelter_of_another_region_needs_staff_of_that_region(
        self, regional, admin, shelter
    ):
        consultation = ConsultationFactory(shelter=shelter)
        spandau = ShelterFactory(district=berlin_district("05"))

        with pytest.raises(PermissionDenied):
            services.update_consultation(
                edited_by=regional, **self.arguments(consultation, shelter=spandau)
            )
        services.update_consultation(
            edited_by=admin, **self.arguments(consultation, shelter=spandau)
        )

        consultation.refresh_from_db()
        assert (consultation.shelter, consultation.region) == (spandau, berlin_region("west"))

    def test_a_retired_topic_it_already_has_may_stay_but_no_other(self, regional, shelter):
        kept, other = TopicFactory(is_active=False), TopicFactory(is_active=False)
        consultation = ConsultationFactory(shelter=shelter, topics=[kept])

        services.update_consultation(
            edited_by=regional, **self.arguments(consultation, topics=[kept])
        )
        with pytest.raises(ValidationError):
            services.update_consultation(
                edited_by=regional, **self.arguments(consultation, topics=[kept, other])
            )

    def test_removed_attachments_lose_their_files_after_the_commit(
        self, regional, shelter, django_capture_on_commit_callbacks
    ):
        consultation = ConsultationFactory(shelter=shelter)
        attachment = AttachmentFactory(consultation=consultation)
        storage, name = attachment.file.storage, attachment.file.name
        assert storage.exists(name)

        with django_capture_on_commit_callbacks(execute=True):
            services.update_consultation(
                edited_by=regional,
                **self.arguments(consultation, remove_attachments=[attachment]),
            )

        assert not consultation.attachments.exists()
        assert not storage.exists(name)


# Pages: logging --------------------------------------------------------------------------------


class TestCreatePage:
    def test_without_a_shelter_it_asks_for_the_shelter_first(self, client, regional, shelter):
        client.force_login(regional)

        response = client.get(reverse("consultations:create"))

        assert response.status_code == 200
        assert "consultations/log/choose_shelter.html" in [t.name for t in response.templates]
        assert "GU Am Wiesengrund" in response.text
        assert 'name="shelter"' in response.text
        assert "autofocus" in response.text

    def test_a_shelter_of_another_region_is_not_offered(self, client, regional):
        ShelterFactory(name="GU Spandau", district=berlin_district("05"))
        client.force_login(regional)

        response = client.get(reverse("consultations:create"), {"shelter": 0})

        assert "GU Spandau" not in response.text

    def test_the_form_comes_with_defaults_and_the_shelters_coordinators(
        self, client, regional, shelter, coordinator
    ):
        former = UserFactory(full_name="Frieda Früher")
        CoordinatorPositionFactory(
            shelter=shelter,
            person=former,
            starts_on=datetime.date(2019, 1, 1),
            ends_on=datetime.date(2020, 1, 1),
        )
        client.force_login(regional)

        response = client.get(reverse("consultations:create"), {"shelter": shelter.pk})

        form = response.context["form"]
        assert form["held_on"].value() == timezone.localdate()
        assert form["duration_minutes"].value() == 60
        assert form["format"].value() == Format.ON_SITE
        assert "Erika Ehrenamt" in response.text
        assert "Frieda Früher" not in response.text  # only current coordinators are offered
        assert 'name="submission_key"' in response.text
        assert 'type="date" name="held_on"' in response.text
        assert form.fields["held_on"].widget.attrs.get("autofocus")
        # Topics are checkboxes of the active topics.
        assert response.text.count('name="topics"') == 12

    def test_a_request_prefills_shelter_format_and_topics(
        self, client, regional, shelter, coordinator
    ):
        request = ConsultationRequestFactory(
            shelter=shelter,
            requested_by=coordinator,
            preferred_format=Format.VIDEO,
            topics=[topic("datenschutz")],
        )
        client.force_login(regional)

        response = client.get(reverse("consultations:create"), {"request": request.pk})

        form = response.context["form"]
        assert form["shelter"].value() == shelter.pk
        assert form["format"].value() == Format.VIDEO
        assert form["topics"].value() == [topic("datenschutz").pk]
        assert form["consultation_request"].value() == request.pk
        assert "Sie beantworten die Anfrage" in response.text

    @pytest.mark.parametrize("value", ["abc", "-1", "1.5", "9999999"])
    def test_a_malformed_or_unknown_request_is_not_found(self, client, regional, value):
        client.force_login(regional)

        response = client.get(reverse("consultations:create"), {"request": value})

        assert response.status_code == 404

    @pytest.mark.parametrize("value", ["abc", "", "9999999"])
    def test_a_malformed_or_unknown_shelter_asks_for_the_shelter(self, client, regional, value):
        client.force_login(regional)

        response = client.get(reverse("consultations:create"), {"shelter": value})

        assert response.status_code == 200
        assert "consultations/log/choose_shelter.html" in [t.name for t in response.templates]

    def test_a_request_of_another_region_is_not_found(self, client, regional_west):
        request = ConsultationRequestFactory()
        client.force_login(regional_west)

        response = client.get(reverse("consultations:create"), {"request": request.pk})

        assert response.status_code == 404

    def test_saving_logs_the_consultation_and_shows_it(
        self, client, regional, shelter, coordinator
    ):
        client.force_login(regional)

        response = client.post(
            reverse("consultations:create"),
            form_data(shelter, participants=[coordinator.pk]),
            follow=True,
        )

        consultation = Consultation.objects.get()
        assert response.redirect_chain[-1][0] == consultation.get_absolute_url()
        assert "Die Beratung wurde im Protokoll gespeichert." in response.text
        assert list(consultation.participants.all()) == [coordinator]
        assert consultation.logged_by == regional

    def test_answering_a_request_through_the_form_marks_it_done(
        self, client, regional, shelter, coordinator
    ):
        request = ConsultationRequestFactory(shelter=shelter, requested_by=coordinator)
        client.force_login(regional)

        client.post(
            reverse("consultations:create"),
            form_data(shelter, participants=[coordinator.pk], consultation_request=request.pk),
        )

        request.refresh_from_db()
        assert request.status == ConsultationRequest.Status.DONE
        assert request.consultation.shelter == shelter

    def test_a_request_answered_meanwhile_is_explained_and_nothing_is_lost(
        self, client, regional, shelter, coordinator
    ):
        request = ConsultationRequestFactory(
            shelter=shelter, status=ConsultationRequest.Status.DONE
        )
        client.force_login(regional)

        response = client.post(
            reverse("consultations:create"),
            form_data(shelter, participants=[coordinator.pk], consultation_request=request.pk),
        )

        assert response.status_code == 200
        assert "Die Anfrage ist inzwischen beantwortet oder abgesagt." in response.text
        assert "Vertraulich: Konflikt mit der Heimleitung." in response.text
        assert not Consultation.objects.exists()

    def test_a_double_submit_logs_once_and_leads_to_the_same_consultation(
        self, client, regional, shelter, coordinator, django_capture_on_commit_callbacks
    ):
        client.force_login(regional)
        data = form_data(shelter, participants=[coordinator.pk])

        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(reverse("consultations:create"), data)
        second = client.post(reverse("consultations:create"), data, follow=True)

        consultation = Consultation.objects.get()
        assert first["Location"] == consultation.get_absolute_url()
        assert second.redirect_chain[-1][0] == consultation.get_absolute_url()
        assert "Diese Beratung war bereits gespeichert." in second.text

    def test_bad_input_keeps_everything_entered_and_asks_to_reselect_files(
        self, client, regional, shelter, coordinator
    ):
        client.force_login(regional)
        data = form_data(
            shelter,
            participants=[coordinator.pk],
            topics=[],
            confidential_note="Mein langer Entwurf der Notiz",
            next_steps="Nächste Schritte im Entwurf",
            other_participants="Herr Leitung",
            attachments=SimpleUploadedFile("ok.txt", b"Hallo", content_type="text/plain"),
        )

        response = client.post(reverse("consultations:create"), data)

        assert response.status_code == 200
        assert not Consultation.objects.exists()
        assert "Mein langer Entwurf der Notiz" in response.text
        assert "Nächste Schritte im Entwurf" in response.text
        assert 'value="Herr Leitung"' in response.text
        assert "Bitte wählen Sie mindestens ein Thema." in response.text
        assert "Dateien müssen Sie aus Sicherheitsgründen erneut auswählen" in response.text
        # The same one-time key again, so that the corrected form is logged once.
        assert response.context["form"]["submission_key"].value() == "a" * 32

    def test_a_future_date_is_refused(self, client, regional, shelter, coordinator):
        client.force_login(regional)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = client.post(
            reverse("consultations:create"),
            form_data(shelter, participants=[coordinator.pk], held_on=tomorrow.isoformat()),
        )

        assert "Das Datum liegt in der Zukunft" in response.text
        assert not Consultation.objects.exists()

    def test_someone_consulted_or_named_is_needed(self, client, regional, shelter):
        client.force_login(regional)

        response = client.post(reverse("consultations:create"), form_data(shelter))

        assert "mindestens eine beratene Person" in response.text
        assert not Consultation.objects.exists()

    def test_without_javascript_a_changed_shelter_offers_its_own_coordinators(
        self, client, regional, shelter, coordinator
    ):
        other = ShelterFactory(name="GU Am Anger", district=berlin_district("01"))
        other_coordinator = UserFactory(full_name="Olga Anger")
        CoordinatorPositionFactory(shelter=other, person=other_coordinator)
        client.force_login(regional)

        # The form was shown for the first shelter; its coordinator stays ticked.
        response = client.post(
            reverse("consultations:create"),
            form_data(other, participants=[coordinator.pk]),
        )

        assert response.status_code == 200
        assert not Consultation.objects.exists()
        assert "Olga Anger" in response.text
        assert response.context["form"].errors["participants"]

        response = client.post(
            reverse("consultations:create"),
            form_data(other, participants=[other_coordinator.pk]),
        )
        assert response.status_code == 302
        assert Consultation.objects.get().shelter == other

    def test_with_htmx_a_changed_shelter_swaps_in_its_coordinators(
        self, client, regional, shelter, coordinator
    ):
        client.force_login(regional)

        response = client.get(
            reverse("consultations:create"), {"shelter": shelter.pk}, headers={"HX-Request": "true"}
        )

        assert response.status_code == 200
        assert response.text.lstrip().startswith('<fieldset class="form__group" id="log-who"')
        assert "Erika Ehrenamt" in response.text

    @pytest.mark.parametrize("role", ["coordinator", "volunteer", "partner"])
    def test_only_bfe_staff_may_log(self, client, role, shelter, coordinator):
        person = coordinator
        if role != "coordinator":
            person = RoleFactory(kind=Role.Kind(role)).user
        client.force_login(person)

        assert client.get(reverse("consultations:create")).status_code == 404
        response = client.post(
            reverse("consultations:create"), form_data(shelter, participants=[coordinator.pk])
        )
        assert response.status_code == 404
        assert not Consultation.objects.exists()

    def test_staff_of_another_region_cannot_post_for_the_shelter(
        self, client, regional_west, shelter, coordinator
    ):
        client.force_login(regional_west)

        response = client.post(
            reverse("consultations:create"), form_data(shelter, participants=[coordinator.pk])
        )

        assert response.status_code == 200  # the shelter is no choice of hers
        assert response.context["form"].errors["shelter"]
        assert not Consultation.objects.exists()


class TestEditPage:
    def test_shows_what_was_logged_and_saves_changes(self, client, regional, shelter, coordinator):
        consultation = ConsultationFactory(shelter=shelter, participants=[coordinator])
        client.force_login(regional)
        url = reverse("consultations:edit", args=[consultation.pk])

        response = client.get(url)
        assert "Vertraulich: Konflikt mit der Heimleitung." in response.text
        assert "submission_key" not in response.text

        data = form_data(
            shelter,
            participants=[coordinator.pk],
            held_on="2026-09-30",
            confidential_note="Geänderte Notiz",
        )
        response = client.post(url, data)

        assert response.status_code == 302
        consultation.refresh_from_db()
        assert consultation.confidential_note == "Geänderte Notiz"
        assert consultation.held_on == datetime.date(2026, 9, 30)

    def test_offers_a_retired_topic_only_where_it_was_chosen(self, client, regional, shelter):
        retired = TopicFactory(name="Altes Thema", is_active=False)
        with_it = ConsultationFactory(shelter=shelter, topics=[retired])
        without_it = ConsultationFactory(shelter=shelter)
        client.force_login(regional)

        assert "Altes Thema" in client.get(reverse("consultations:edit", args=[with_it.pk])).text
        response = client.get(reverse("consultations:edit", args=[without_it.pk]))
        assert "Altes Thema" not in response.text

    @pytest.mark.parametrize("who", ["coordinator", "regional_west"])
    def test_others_cannot_edit(self, client, who, request, shelter, coordinator):
        consultation = ConsultationFactory(shelter=shelter, participants=[coordinator])
        client.force_login(request.getfixturevalue(who))
        url = reverse("consultations:edit", args=[consultation.pk])

        assert client.get(url).status_code == 404
        response = client.post(url, form_data(shelter, confidential_note="Übernommen"))
        assert response.status_code == 404
        consultation.refresh_from_db()
        assert consultation.confidential_note != "Übernommen"


# Pages: the log --------------------------------------------------------------------------------


class TestListPage:
    def test_staff_see_their_regions_log_newest_first(self, client, regional, shelter):
        older = ConsultationFactory(shelter=shelter, held_on=datetime.date(2026, 1, 5))
        newer = ConsultationFactory(shelter=shelter, held_on=datetime.date(2026, 3, 5))
        ConsultationFactory(
            shelter=ShelterFactory(name="GU Spandau", district=berlin_district("05")),
            region=berlin_region("west"),
        )
        client.force_login(regional)

        response = client.get(reverse("consultations:list"))

        assert list(response.context["page"].object_list) == [newer, older]
        assert "GU Spandau" not in response.text

    def test_filters_by_shelter_topic_format_and_period(self, client, regional, shelter):
        other = ShelterFactory(name="MUF Am Weiher", district=berlin_district("01"))
        match = ConsultationFactory(
            shelter=other,
            format=Format.PHONE,
            held_on=datetime.date(2026, 5, 1),
            topics=[topic("datenschutz")],
        )
        may = datetime.date(2026, 5, 1)
        ConsultationFactory(shelter=other, format=Format.VIDEO, held_on=may)
        ConsultationFactory(shelter=other, format=Format.PHONE, held_on=may.replace(year=2025))
        ConsultationFactory(shelter=shelter, format=Format.PHONE, held_on=may)
        client.force_login(regional)

        response = client.get(
            reverse("consultations:list"),
            {
                "q": "weiher",
                "topic": "datenschutz",
                "format": Format.PHONE,
                "start": "2026-01-01",
                "end": "2026-12-31",
            },
        )

        assert list(response.context["page"].object_list) == [match]

    def test_htmx_filtering_returns_only_the_results(self, client, regional, shelter):
        ConsultationFactory(shelter=shelter)
        client.force_login(regional)

        response = client.get(
            reverse("consultations:list"), {"q": "Wiesen"}, headers={"HX-Request": "true"}
        )

        assert "<html" not in response.text
        assert "GU Am Wiesengrund" in response.text
        assert "1 Beratung" in response.text

    def test_bad_filter_values_are_ignored_with_a_message(self, client, regional, shelter):
        shown = ConsultationFactory(shelter=shelter)
        client.force_login(regional)

        response = client.get(
            reverse("consultations:list"), {"start": "gestern", "topic": "gibt-es-nicht"}
        )

        assert response.status_code == 200
        assert list(response.context["page"].object_list) == [shown]
        assert response.context["filter"].form.errors

    def test_coordinators_see_only_their_own_consultations(self, client, shelter, coordinator):
        mine = ConsultationFactory(shelter=shelter, participants=[coordinator])
        ConsultationFactory(shelter=shelter, next_steps="Nicht für Erika")
        client.force_login(coordinator)

        response = client.get(reverse("consultations:list"))

        assert response.status_code == 200
        assert "Meine Beratungen" in response.text
        assert list(response.context["page"].object_list) == [mine]
        assert "Vorlage für Ehrenamtsvereinbarung schicken." in response.text
        assert "Nicht für Erika" not in response.text

    @pytest.mark.parametrize("kind", [Role.Kind.VOLUNTEER, Role.Kind.PARTNER])
    def test_volunteers_and_partners_find_no_log(self, client, kind):
        client.force_login(RoleFactory(kind=kind).user)

        assert client.get(reverse("consultations:list")).status_code == 404


class TestQueryCounts:
    def make(self, shelter, count):
        for _ in range(count):
            person = UserFactory()
            CoordinatorPositionFactory(shelter=shelter, person=person)
            consultation = ConsultationFactory(
                shelter=shelter, participants=[person], topics=[topic("konflikte")]
            )
            AttachmentFactory(consultation=consultation)

    def queries(self, client, url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    @pytest.mark.parametrize("who", ["regional", "coordinator"])
    def test_the_log_needs_the_same_queries_for_more_data(
        self, client, request, who, shelter, coordinator
    ):
        viewer = request.getfixturevalue(who)
        ConsultationFactory(shelter=shelter, participants=[coordinator])
        self.make(shelter, 2)
        client.force_login(viewer)
        few = self.queries(client, reverse("consultations:list"))

        for _ in range(10):
            ConsultationFactory(shelter=shelter, participants=[coordinator])
        self.make(shelter, 20)
        assert self.queries(client, reverse("consultations:list")) == few

    def test_the_detail_needs_the_same_queries_for_more_data(
        self, client, regional, shelter, coordinator
    ):
        consultation = ConsultationFactory(shelter=shelter, participants=[coordinator])
        AttachmentFactory(consultation=consultation)
        client.force_login(regional)
        url = reverse("consultations:detail", args=[consultation.pk])
        few = self.queries(client, url)

        people = UserFactory.create_batch(10)
        for person in people:
            CoordinatorPositionFactory(shelter=shelter, person=person)
        consultation.participants.add(*people)
        consultation.topics.add(topic("konflikte"), topic("datenschutz"), topic("versicherung"))
        AttachmentFactory.create_batch(10, consultation=consultation)
        assert self.queries(client, url) == few


def test_after_an_error_the_first_field_to_correct_has_the_focus(client, regional, shelter):
    client.force_login(regional)

    response = client.post(
        reverse("consultations:create"), form_data(shelter, duration_minutes="2")
    )

    form = response.context["form"]
    assert form.fields["duration_minutes"].widget.attrs.get("autofocus")
    assert not form.fields["held_on"].widget.attrs.get("autofocus")


def test_logging_a_consultation_needs_a_fixed_number_of_queries(
    client, regional, shelter, coordinator
):
    client.force_login(regional)
    data = form_data(shelter, participants=[coordinator.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("consultations:create"), data)
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert list(consultation.participants.all()) == [coordinator]
    assert list(consultation.topics.all()) == [topic("gewinnung")]
    # Session, user, roles (2), the form's shelter, positions, participants and topics, the
    # region, then in the transaction: participants check, insert, links (2), last contact
    # (1 when the shelter has one already, 4 the first time), savepoints.
    assert len(captured) <= 22
