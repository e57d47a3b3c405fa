"""Timelines of shelters and coordinators: merged, newest first, scoped, paged, fixed queries."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.consultations import timeline
from bfe.places.tests.factories import (
    CoordinatorPositionFactory,
    ShelterFactory,
    berlin_district,
    berlin_region,
)

from .factories import ConsultationFactory, FollowUpFactory, topic

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def coordinator(shelter):
    person = UserFactory(full_name="Erika Ehrenamt")
    CoordinatorPositionFactory(shelter=shelter, person=person, starts_on=D(2024, 1, 1))
    return person


@pytest.fixture
def regional_west():
    return RoleFactory(kind=Role.Kind.REGIONAL_COORDINATOR, region=berlin_region("west")).user


def consultation(**kwargs):
    return ConsultationFactory(topics=[topic("konflikte")], **kwargs)


def kinds_and_dates(result):
    return [(entry.kind, entry.on) for entry in result.entries]


class TestShelterTimeline:
    def test_merges_consultations_follow_ups_and_coordinator_changes_newest_first(
        self, shelter, coordinator, regional
    ):
        former = UserFactory()
        CoordinatorPositionFactory(
            shelter=shelter, person=former, starts_on=D(2020, 3, 1), ends_on=D(2023, 6, 30)
        )
        CoordinatorPositionFactory(
            shelter=shelter, person=None, starts_on=D(2023, 7, 1), ends_on=D(2023, 12, 31)
        )
        talk = consultation(shelter=shelter, held_on=D(2025, 2, 1), participants=[coordinator])
        FollowUpFactory(shelter=shelter, due_on=D(2025, 3, 1), owner=regional)
        FollowUpFactory(
            consultation=talk,
            shelter=None,
            due_on=D(2025, 2, 10),
            done_at=timezone.make_aware(datetime.datetime(2025, 2, 5, 10)),
            owner=regional,
        )

        result = timeline.build_timeline(timeline.Subject(shelter=shelter), regional)

        assert kinds_and_dates(result) == [
            ("follow_up", D(2025, 3, 1)),
            ("follow_up", D(2025, 2, 5)),  # done before it was due: shown when it was done
            ("consultation", D(2025, 2, 1)),
            ("position_start", D(2024, 1, 1)),
            ("vacancy", D(2023, 7, 1)),
            ("position_end", D(2023, 6, 30)),
            ("position_start", D(2020, 3, 1)),
        ]
        assert result.older_until is None

    def test_coordinators_see_their_own_consultations_but_no_follow_ups(
        self, shelter, coordinator, regional
    ):
        colleague = UserFactory()
        CoordinatorPositionFactory(shelter=shelter, person=colleague, starts_on=D(2024, 1, 1))
        consultation(shelter=shelter, held_on=D(2025, 2, 1), participants=[coordinator])
        consultation(shelter=shelter, held_on=D(2025, 2, 2), participants=[colleague])
        FollowUpFactory(shelter=shelter, owner=regional)

        result = timeline.build_timeline(timeline.Subject(shelter=shelter), coordinator)

        kinds = [entry.kind for entry in result.entries]
        assert kinds.count("consultation") == 1
        assert "follow_up" not in kinds
        assert result.entries[0].item.held_on == D(2025, 2, 1)

    def test_a_post_ending_in_the_future_shows_only_its_start(self, shelter, regional):
        leaving = UserFactory()
        CoordinatorPositionFactory(
            shelter=shelter,
            person=leaving,
            starts_on=D(2024, 5, 1),
            ends_on=timezone.localdate() + datetime.timedelta(days=30),
        )

        result = timeline.build_timeline(timeline.Subject(shelter=shelter), regional)

        assert kinds_and_dates(result) == [("position_start", D(2024, 5, 1))]


class TestPersonTimeline:
    def test_shows_her_consultations_posts_and_follow_ups_as_far_as_the_viewer_may_see(
        self, regional, regional_west
    ):
        person = UserFactory()
        spandau = ShelterFactory(district=berlin_district("05"))
        mitte = ShelterFactory(district=berlin_district("01"))
        CoordinatorPositionFactory(
            shelter=spandau, person=person, starts_on=D(2022, 1, 1), ends_on=D(2023, 12, 31)
        )
        CoordinatorPositionFactory(shelter=mitte, person=person, starts_on=D(2024, 1, 1))
        in_west = consultation(
            shelter=spandau,
            region=berlin_region("west"),
            held_on=D(2023, 5, 1),
            participants=[person],
        )
        in_nord = consultation(shelter=mitte, held_on=D(2025, 5, 1), participants=[person])
        consultation(shelter=mitte, held_on=D(2025, 6, 1))  # without her
        FollowUpFactory(consultation=in_nord, shelter=None, due_on=D(2025, 6, 15), owner=regional)
        subject = timeline.Subject(person=person)

        seen_by_nord = timeline.build_timeline(subject, regional)
        seen_by_west = timeline.build_timeline(subject, regional_west)

        assert kinds_and_dates(seen_by_nord) == [
            ("follow_up", D(2025, 6, 15)),
            ("consultation", D(2025, 5, 1)),
            ("position_start", D(2024, 1, 1)),
            ("position_end", D(2023, 12, 31)),
            ("position_start", D(2022, 1, 1)),
        ]
        consultations_for_west = [e.item for e in seen_by_west.entries if e.kind == "consultation"]
        assert consultations_for_west == [in_west]
        assert "follow_up" not in [e.kind for e in seen_by_west.entries]


class TestPaging:
    def test_pages_follow_each_other_without_splitting_a_day(self, shelter, regional):
        days = [D(2025, 1, d) for d in (1, 2, 2, 2, 3, 4, 4, 5, 6, 6, 6, 7)]
        for day in days:
            consultation(shelter=shelter, held_on=day, other_participants="Leitung")
        subject = timeline.Subject(shelter=shelter)

        pages, until = [], None
        while True:
            page = timeline.build_timeline(subject, regional, until=until, limit=4)
            pages.append(page.entries)
            if page.older_until is None:
                break
            until = page.older_until

        shown = [entry.on for entries in pages for entry in entries]
        assert shown == sorted(days, reverse=True)
        for earlier, later in itertools.pairwise(pages):
            assert earlier[-1].on > later[0].on

    def test_a_day_with_more_entries_than_a_page_still_moves_on(self, shelter, regional):
        for _ in range(5):
            consultation(shelter=shelter, held_on=D(2025, 1, 2))
        consultation(shelter=shelter, held_on=D(2025, 1, 1))

        first = timeline.build_timeline(timeline.Subject(shelter=shelter), regional, limit=3)
        second = timeline.build_timeline(
            timeline.Subject(shelter=shelter), regional, until=first.older_until, limit=3
        )

        assert len(first.entries) == 3
        assert first.older_until == D(2025, 1, 1)
        assert [e.on for e in second.entries] == [D(2025, 1, 1)]


class TestExtensionPoint:
    def test_a_registered_source_joins_the_timeline(self, monkeypatch, shelter, regional):
        monkeypatch.setattr(timeline, "TIMELINE_SOURCES", list(timeline.TIMELINE_SOURCES))
        calls = []

        def event_attendance(subject, viewer, *, until, limit):
            calls.append((subject, viewer, until, limit))
            return [
                timeline.Entry(
                    on=D(2025, 4, 1),
                    kind="event_attendance",
                    template="events/timeline/_attendance.html",
                    item=None,
                )
            ]

        timeline.register_timeline_source(event_attendance)
        timeline.register_timeline_source(event_attendance)  # registering twice adds it once
        consultation(shelter=shelter, held_on=D(2025, 5, 1))

        result = timeline.build_timeline(timeline.Subject(shelter=shelter), regional, limit=10)

        assert [e.kind for e in result.entries] == ["consultation", "event_attendance"]
        assert len(calls) == 1
        assert calls[0][3] == 11  # one more than the page, to know whether there are more


class TestPages:
    def url(self, name, pk, **params):
        return reverse(f"consultations:{name}", args=[pk])

    @pytest.mark.parametrize(
        ("viewer", "expected"),
        [("coordinator", 200), ("colleague", 404), ("regional", 200), ("regional_west", 404)],
    )
    def test_a_coordinators_timeline_is_for_her_and_her_regions_staff(
        self, client, request, shelter, coordinator, viewer, expected
    ):
        colleague = UserFactory()
        CoordinatorPositionFactory(shelter=shelter, person=colleague)
        people = {"colleague": colleague}
        person = people.get(viewer) or request.getfixturevalue(viewer)
        client.force_login(person)

        response = client.get(self.url("person_timeline", coordinator.pk))

        assert response.status_code == expected

    def test_staff_of_a_region_she_left_still_see_her_timeline(
        self, client, regional_west, coordinator
    ):
        CoordinatorPositionFactory(
            shelter__district=berlin_district("05"),
            person=coordinator,
            starts_on=D(2021, 1, 1),
            ends_on=D(2022, 1, 1),
        )
        client.force_login(regional_west)

        assert client.get(self.url("person_timeline", coordinator.pk)).status_code == 200

    def test_someone_who_never_coordinated_has_no_timeline(self, client):
        admin = RoleFactory(kind=Role.Kind.ADMIN).user
        volunteer = RoleFactory(kind=Role.Kind.VOLUNTEER).user
        client.force_login(admin)

        assert client.get(self.url("person_timeline", volunteer.pk)).status_code == 404
        client.force_login(volunteer)
        assert client.get(self.url("person_timeline", volunteer.pk)).status_code == 404

    def test_the_shelter_timeline_shows_entries_and_a_link_to_older_ones(
        self, client, regional, shelter, coordinator
    ):
        for day in range(1, 60):
            consultation(
                shelter=shelter,
                held_on=D(2025, 1, 1) + datetime.timedelta(days=day),
                participants=[coordinator],
            )
        client.force_login(regional)

        response = client.get(self.url("shelter_timeline", shelter.pk))

        assert response.status_code == 200
        assert "Erika Ehrenamt übernimmt die Koordination." not in response.text  # page 2
        older = response.context["timeline"].older_until
        assert f"?bis={older.isoformat()}" in response.text

        response = client.get(self.url("shelter_timeline", shelter.pk), {"bis": older})
        assert "Erika Ehrenamt übernimmt die Koordination." in response.text
        assert "Neueste Einträge" in response.text

    def test_a_malformed_page_parameter_shows_the_newest_entries(self, client, regional, shelter):
        client.force_login(regional)

        response = client.get(self.url("shelter_timeline", shelter.pk), {"bis": "gestern"})

        assert response.status_code == 200
        assert response.context["until"] is None


class TestQueryCounts:
    def grow(self, shelter, coordinator, regional, count):
        for index in range(count):
            person = UserFactory()
            CoordinatorPositionFactory(
                shelter=shelter,
                person=person,
                starts_on=D(2020, 1, 1) + datetime.timedelta(days=index),
                ends_on=D(2023, 1, 1),
            )
            talk = consultation(
                shelter=shelter,
                held_on=D(2025, 1, 1) + datetime.timedelta(days=index),
                participants=[coordinator, person],
            )
            FollowUpFactory(consultation=talk, shelter=None, owner=regional)
            FollowUpFactory(shelter=shelter, owner=regional)

    def queries(self, client, url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    @pytest.mark.parametrize("viewer", ["regional", "coordinator"])
    @pytest.mark.parametrize("page", ["shelter_timeline", "person_timeline"])
    def test_timelines_need_the_same_queries_for_ten_times_the_data(
        self, client, request, shelter, coordinator, regional, viewer, page
    ):
        pk = shelter.pk if page == "shelter_timeline" else coordinator.pk
        url = reverse(f"consultations:{page}", args=[pk])
        client.force_login(request.getfixturevalue(viewer))
        self.grow(shelter, coordinator, regional, 2)
        few = self.queries(client, url)

        self.grow(shelter, coordinator, regional, 20)

        assert self.queries(client, url) == few


class TestEventsInTimelines:
    def attend(self, person, day):
        from bfe.events.tests.factories import JourFixeFactory, RegistrationFactory

        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        event = JourFixeFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
        return RegistrationFactory(event=event, person=person, attended=True)

    def test_the_shelter_shows_events_its_coordinator_of_the_day_attended(
        self, shelter, coordinator, regional
    ):
        former = UserFactory()
        CoordinatorPositionFactory(
            shelter=shelter, person=former, starts_on=D(2020, 1, 1), ends_on=D(2023, 12, 31)
        )
        self.attend(former, D(2023, 5, 10))
        self.attend(former, D(2024, 5, 10))  # after she left: not the shelter's contact
        self.attend(coordinator, D(2025, 2, 12))

        result = timeline.build_timeline(timeline.Subject(shelter=shelter), regional)

        attended = [e.on for e in result.entries if e.kind == "event_attendance"]
        assert attended == [D(2025, 2, 12), D(2023, 5, 10)]

    def test_a_person_sees_her_attendance_and_certificates(self, coordinator):
        from bfe.events.models import Certificate
        from bfe.events.tests.factories import TrainingSeriesFactory

        self.attend(coordinator, D(2025, 3, 4))
        Certificate.objects.create(
            person=coordinator,
            series=TrainingSeriesFactory(),
            holder_name="Erika Ehrenamt",
            verification_code="XYZW2345",
            hours=42,
        )

        result = timeline.build_timeline(timeline.Subject(person=coordinator), coordinator)

        kinds = {e.kind for e in result.entries}
        assert {"event_attendance", "training_progress"} <= kinds
