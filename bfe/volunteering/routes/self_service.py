"""Routes of the self_service part (see bfe/volunteering/urls.py)."""

from django.urls import path  # noqa: F401

patterns = []
