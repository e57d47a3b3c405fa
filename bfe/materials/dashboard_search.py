"""Start-page sections of the search part (the library's search box)."""
