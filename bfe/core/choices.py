"""Labels of model choices for long lists."""


def choice_label(choices, value):
    """The label of `value` in a TextChoices class, or the value itself if it is none of them.

    As Model.get_FOO_display(), which hashes (and so translates) every choice on each call: too
    slow for the rows of a long list."""
    try:
        return choices(value).label
    except ValueError:
        return value
