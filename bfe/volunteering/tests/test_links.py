import pytest

from bfe.volunteering.services import links

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_volunteers_personal_link_finds_her_record(volunteer):
    token = links.volunteer_token(volunteer)
    assert links.volunteer_for_token(token) == volunteer


def test_a_forged_or_foreign_link_finds_nothing(volunteer):
    token = links.volunteer_token(volunteer)
    pk, digest = token.split(".")
    assert links.volunteer_for_token(f"{pk}.{digest[:-2]}xx") is None
    assert links.volunteer_for_token(f"{int(pk) + 1}.{digest}") is None
    assert links.volunteer_for_token("not-a-token") is None
    assert links.volunteer_for_token("") is None


def test_revoking_the_personal_link_ends_every_earlier_link(volunteer):
    old = links.volunteer_token(volunteer)
    links.revoke_volunteer_link(volunteer)
    new = links.volunteer_token(volunteer)
    assert links.volunteer_for_token(old) is None
    assert links.volunteer_for_token(new) == volunteer


def test_an_application_link_is_rebuilt_from_its_salt_alone():
    application = ApplicationFactory()
    token = links.application_token(application)
    assert links.application_token(type(application).objects.get(pk=application.pk)) == token
    assert links.application_for_token(token) == application
    # A volunteer link with the same pk is no application link: the purposes differ.
    assert links.application_for_token(token.replace(".", ".x", 1)) is None


def test_a_stale_copy_of_the_record_gets_the_link_already_given_out(volunteer):
    stale = type(volunteer).objects.get(pk=volunteer.pk)
    given = links.volunteer_token(volunteer)
    assert links.volunteer_token(stale) == given
    assert links.volunteer_for_token(given) == volunteer
