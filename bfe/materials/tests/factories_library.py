"""People and files the library part's tests need. Fixtures are imported by name into each
test module (the app's conftest belongs to no part)."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from bfe.accounts.models import Role
from bfe.accounts.tests.factories import RoleFactory, UserFactory
from bfe.materials.models import Category
from bfe.places.models import District, Region
from bfe.places.tests.factories import CoordinatorPositionFactory, ShelterFactory

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48


def text_file(text="Führungszeugnis für Ehrenamtliche: so geht es.", name="leitfaden.txt"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def pdf_file(name="leitfaden.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def pptx_file(name="folien.pptx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def library_defaults(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BFE_REQUIRE_STAFF_2FA = False
    cache.clear()


@pytest.fixture
def category(db):
    return Category.objects.get(slug="datenschutz")


@pytest.fixture
def staff(db):
    return RoleFactory(kind=Role.Kind.ADMIN).user


@pytest.fixture
def regional(db):
    return RoleFactory(
        kind=Role.Kind.REGIONAL_COORDINATOR, region=Region.objects.get(slug="nord")
    ).user


@pytest.fixture
def coordinator(db):
    shelter = ShelterFactory(district=District.objects.get(number="01"))
    return CoordinatorPositionFactory(shelter=shelter).person


@pytest.fixture
def volunteer(db):
    return RoleFactory(kind=Role.Kind.VOLUNTEER).user


@pytest.fixture
def partner(db):
    return RoleFactory(kind=Role.Kind.PARTNER).user


@pytest.fixture
def nobody(db):
    return UserFactory()
