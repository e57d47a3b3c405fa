"""E-mails of volunteering, one module per part (board, pipeline, shifts, self_service,
imports); each builds messages from templates in the recipient's language and sends nothing
itself (the tasks send them through bfe.core.mail.deliver)."""
