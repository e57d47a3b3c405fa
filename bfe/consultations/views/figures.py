"""The regional coordinator's outreach list and the figures of consultations (page and CSV)."""

import csv

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from bfe.accounts.models import Roles
from bfe.core import disclosure
from bfe.core.pagination import paginate

from .. import selectors
from ..forms.figures import OutreachFilterForm, PeriodForm


def outreach(request):
    """Shelters nobody reached lately, vacant posts and new coordinators of her regions."""
    if not selectors.can_view_outreach(request.user):
        raise Http404
    form = OutreachFilterForm(
        request.GET,
        regions=selectors.outreach_regions(request.user),
        offer_regions=selectors.offers_region_choice(request.user),
    )
    months, region = form.filters()
    if form.errors:
        messages.warning(
            request,
            _(
                "Bitte prüfen Sie die Auswahl. Angezeigt werden Unterkünfte ohne Kontakt seit "
                "%(months)s Monaten."
            )
            % {"months": months},
        )
    overview = selectors.outreach_overview(request.user, months=months, region=region)
    context = {
        "form": form,
        "overview": overview,
        "region": region,
        "page": paginate(request, overview.shelters, settings.DIRECTORY_PAGE_SIZE),
    }
    return render(request, "consultations/figures/outreach.html", context)


def statistics(request):
    """Counts of consultations for a period; partners see numbers, never names."""
    if not selectors.can_view_statistics(request.user):
        raise Http404
    form = PeriodForm(request.GET)
    start, end = form.period()
    if form.errors:
        messages.error(request, _period_error(start, end))
    context = {
        "form": form,
        "roles": Roles.of(request.user),
        "figures": selectors.consultation_figures(request.user, start=start, end=end),
        "csv_query": urlencode({"von": start.isoformat(), "bis": end.isoformat()}),
    }
    return render(request, "consultations/figures/statistics.html", context)


def statistics_csv(request):
    """The figures as CSV for Excel in Germany: UTF-8 with BOM, semicolons, decimal commas."""
    if not selectors.can_view_statistics(request.user):
        raise Http404
    form = PeriodForm(request.GET)
    if form.errors:
        # The page explains what is wrong; a download cannot.
        return redirect(f"{reverse('consultations:statistics')}?{request.GET.urlencode()}")
    start, end = form.period()
    figures = selectors.consultation_figures(request.user, start=start, end=end)
    filename = f"beratungen_{start.isoformat()}_bis_{end.isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Zeitraum"), _("Gliederung"), _("Kategorie"), _("Wert")])
    period = f"{date_format(start, 'SHORT_DATE_FORMAT')}–{date_format(end, 'SHORT_DATE_FORMAT')}"
    totals = figures.totals
    withheld = totals.withheld
    for label, name, value in [
        (_("Beratungen"), "consultations", totals.consultations),
        (_("Stunden"), "minutes", str(totals.hours).replace(".", ",")),
        (_("erreichte Unterkünfte"), "shelters", totals.shelters),
        (_("beratene Personen"), "coordinators", totals.coordinators),
    ]:
        writer.writerow([period, _("Gesamt"), label, _csv_value(value, withheld.get(name))])
    for group, name in [
        (_("Region"), "by_region"),
        (_("Thema"), "by_topic"),
        (_("Form"), "by_format"),
        (_("Monat"), "by_month"),
    ]:
        if name in figures.withheld_breakdowns:
            writer.writerow([period, group, "", _csv_value(None, disclosure.COMPLEMENTARY)])
        for row in getattr(figures, name):
            label = row.key.strftime("%Y-%m") if name == "by_month" else row.label
            writer.writerow([period, group, label, _csv_value(row.count, row.withheld)])
    return response


def _csv_value(value, withheld):
    """A figure as the page shows it: "<5" for a small count, "x" for one withheld to protect
    it (see bfe.core.disclosure)."""
    if withheld == disclosure.SMALL:
        return "<5"
    return "x" if withheld else value


def _period_error(start, end):
    return _(
        "Bitte prüfen Sie den Zeitraum. Angezeigt werden die Zahlen vom %(start)s bis %(end)s."
    ) % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }
