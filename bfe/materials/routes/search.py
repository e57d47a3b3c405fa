"""Routes of the search part (see bfe/materials/urls.py)."""

patterns = []
