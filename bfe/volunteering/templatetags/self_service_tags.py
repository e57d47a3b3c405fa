"""Template filters of the self-service part."""

from django import template

from ..self_service_reads import format_hours

register = template.Library()


@register.filter
def hours(value):
    """12 / 12,5 / 12,25 hours as the page's language writes them (never "12,50")."""
    return format_hours(value)
