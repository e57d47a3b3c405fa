"""Routes of the pipeline part (see bfe/volunteering/urls.py)."""

from django.urls import path  # noqa: F401

patterns = []
