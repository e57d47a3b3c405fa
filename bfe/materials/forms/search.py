"""The library's search form: a GET form, so that every search and filter is a link. A filter
that does not fit (an unknown category, a type we never heard of) is reported and left out; the
rest of the search still runs."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from bfe.places.models import LANGUAGE_CHOICES

from ..models import Category, Material
from ..selectors_search import MAX_QUERY_LENGTH, SORT_DATE, SORT_RELEVANCE, Filters, query_words


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Suchbegriff"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("z. B. Führungszeugnis, Datenschutz, Ehrenamtsvereinbarung"),
                "maxlength": str(MAX_QUERY_LENGTH),
            }
        ),
    )
    kategorie = forms.SlugField(label=_("Kategorie"), required=False)
    sprache = forms.ChoiceField(
        label=_("Sprache"), required=False, choices=[("", ""), *list(LANGUAGE_CHOICES)]
    )
    zielgruppe = forms.ChoiceField(
        label=_("Für wen"), required=False, choices=[("", ""), *list(Material.Audience.choices)]
    )
    typ = forms.CharField(
        label=_("Dateityp"),
        required=False,
        max_length=10,
        validators=[RegexValidator(r"^[A-Za-z0-9]+$", _("Diesen Dateityp gibt es nicht."))],
    )
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[(SORT_RELEVANCE, _("Relevanz")), (SORT_DATE, _("Datum"))],
    )

    def __init__(self, data=None, *, with_audience=False):
        # An overlong query is cut, searched and said so, rather than refused.
        self.truncated = bool(data) and len(data.get("q", "")) > MAX_QUERY_LENGTH
        if self.truncated:
            data = data.copy()
            data["q"] = data["q"][:MAX_QUERY_LENGTH]
        super().__init__(data)
        self.with_audience = with_audience
        if not with_audience:
            del self.fields["zielgruppe"]

    def clean_q(self):
        q = self.cleaned_data["q"].strip()
        if q and not query_words(q):
            raise forms.ValidationError(
                _("Bitte geben Sie einen Suchbegriff mit Buchstaben oder Ziffern ein.")
            )
        return q

    def clean_kategorie(self):
        slug = self.cleaned_data["kategorie"]
        if not slug:
            return None
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            raise forms.ValidationError(_("Diese Kategorie gibt es nicht."))
        return category

    def clean_typ(self):
        return self.cleaned_data["typ"].upper()

    def filters(self):
        """The valid part of the input as search filters (invalid fields are left out)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return Filters(
            q=data.get("q", ""),
            category=data.get("kategorie"),
            language=data.get("sprache", ""),
            audience=data.get("zielgruppe", ""),
            file_type=data.get("typ", ""),
            sort=data.get("sortierung", ""),
        )
