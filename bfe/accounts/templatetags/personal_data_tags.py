"""Showing an export of personal data (bfe/core/personal_data.py) as a readable page."""

import datetime
import decimal

from django import template

register = template.Library()


@register.filter
def value_kind(value):
    """What kind of value this is, for the template to choose how to show it."""
    if value is None or value == "" or value == [] or value == {}:
        return "empty"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, datetime.datetime):
        return "datetime"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list | tuple):
        if all(isinstance(item, dict) for item in value):
            return "records"
        return "list"
    if isinstance(value, decimal.Decimal | float | int):
        return "number"
    return "text"
