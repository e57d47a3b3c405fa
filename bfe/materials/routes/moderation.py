"""Routes of the moderation part (see bfe/materials/urls.py)."""

patterns = []
