"""One module per part of the app (board, pipeline, shifts, self_service, imports)."""
