"""Routes of the library part (see bfe/materials/urls.py)."""

patterns = []
