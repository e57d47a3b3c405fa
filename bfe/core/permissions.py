"""Who may open a view at all, said once per view with a decorator; what she sees there is
scoped by the QuerySet methods (`visible_to`, `editable_by` …), never by branches in views."""

from functools import wraps

from django.http import Http404

from bfe.accounts.models import Roles

# The names a view may ask for, each a flag of Roles.
ROLE_NAMES = frozenset(
    {"admin", "bfe_staff", "regional_coordinator", "coordinator", "partner", "volunteer"}
)


def has_role(user, *names):
    """Whether the person holds at least one of the named roles (see ROLE_NAMES). The roles are
    read once per request (`User.roles` is cached on the request's user)."""
    roles = Roles.of(user)
    return any(getattr(roles, f"is_{name}") for name in names)


def require_role(*names):
    """Let only people holding one of the named roles into the view.

    Everyone else is answered 404, as for anything outside her scope on this platform, so a
    page does not tell strangers that it exists (the authorisation matrix expects this).
    Anonymous visitors never get here: LoginRequiredMiddleware sends them to sign in first.
    """
    unknown = set(names) - ROLE_NAMES
    if not names or unknown:
        raise ValueError(f"require_role() needs role names from {sorted(ROLE_NAMES)}: {unknown}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *names):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
