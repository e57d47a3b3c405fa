import pytest
from django.core.exceptions import ValidationError

from bfe.core.fields import MAX_KEY, ModelMultipleChoiceField
from bfe.places.models import District

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", [str(MAX_KEY + 1), str(-MAX_KEY - 2), "1" * 40])
def test_a_key_beyond_the_database_range_is_an_unknown_choice_not_a_crash(key):
    field = ModelMultipleChoiceField(queryset=District.objects.all())

    with pytest.raises(ValidationError) as error:
        field.clean([key])

    assert error.value.code == "invalid_choice"


def test_keys_in_range_are_still_looked_up():
    district = District.objects.get(number="01")
    field = ModelMultipleChoiceField(queryset=District.objects.all())

    assert list(field.clean([str(district.pk)])) == [district]
    with pytest.raises(ValidationError) as error:
        field.clean([str(MAX_KEY)])
    assert error.value.code == "invalid_choice"
