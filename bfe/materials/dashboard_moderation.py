"""Start-page sections of the moderation part (suggestions and reviews for staff)."""
