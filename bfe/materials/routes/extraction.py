"""Routes of the extraction part (see bfe/materials/urls.py)."""

patterns = []
