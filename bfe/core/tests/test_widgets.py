import re

import pytest
from django import forms

from bfe.core.widgets import Select

CHOICES = [
    ("", "alle"),
    ("1", "Mitte & Tiergarten"),
    ("Berlin", [("2", 'Pankow "Nord"'), ("3", "<Spandau>")]),
]


def _normalised(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


class ChoiceForm(forms.Form):
    fast = forms.ChoiceField(choices=CHOICES, widget=Select, help_text="Hilfe")
    slow = forms.ChoiceField(choices=CHOICES, widget=forms.Select, help_text="Hilfe")


@pytest.mark.parametrize("value", [None, "", "1", "3"])
def test_select_renders_the_same_html_as_djangos_own(value):
    form = ChoiceForm({"fast": value, "slow": value} if value is not None else None)

    fast = _normalised(form["fast"]).replace("fast", "FIELD")
    slow = _normalised(form["slow"]).replace("slow", "FIELD")

    assert fast == slow
    assert "&lt;Spandau&gt;" in fast


@pytest.mark.django_db
def test_select_of_model_choices_renders_the_same_html_as_djangos_own():
    from bfe.places.models import District
    from bfe.places.tests.factories import DistrictFactory

    chosen = DistrictFactory(name="Testbezirk <Mitte>")

    class DistrictForm(forms.Form):
        fast = forms.ModelChoiceField(District.objects.order_by("number"), widget=Select)
        slow = forms.ModelChoiceField(District.objects.order_by("number"))

    form = DistrictForm({"fast": chosen.pk, "slow": chosen.pk})

    fast = _normalised(form["fast"]).replace("fast", "FIELD")
    assert fast == _normalised(form["slow"]).replace("slow", "FIELD")
    assert f'<option value="{chosen.pk}" selected>' in fast
