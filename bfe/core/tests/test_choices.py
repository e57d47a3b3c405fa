from bfe.core.choices import choice_label
from bfe.places.models import Shelter


def test_a_known_value_gets_its_label_as_get_display_gives_it():
    shelter = Shelter(kind=Shelter.Kind.values[0])

    assert choice_label(Shelter.Kind, shelter.kind) == shelter.get_kind_display()
    assert shelter.kind_label == shelter.get_kind_display()


def test_an_unknown_value_is_shown_as_it_is():
    assert choice_label(Shelter.Kind, "retired-kind") == "retired-kind"
