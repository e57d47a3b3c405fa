"""The access log of volunteers' records (issue #10, privacy boundary): every view, edit,
export or message by staff is written here, and the volunteer sees it in her export."""

from ..models import AccessLog

DETAIL_LENGTH = AccessLog._meta.get_field("detail").max_length


def log_access(*, volunteer, actor, action, detail=""):
    """Write one entry: who (`actor`, a user or None for the system), which record, which
    `AccessLog.Action`, and a short detail (cut to fit). Returns the entry."""
    return AccessLog.objects.create(
        volunteer=volunteer,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AccessLog.Action(action),
        detail=(detail or "")[:DETAIL_LENGTH],
    )
