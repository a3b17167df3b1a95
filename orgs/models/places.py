"""Countries and people."""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from ..languages import (
    ENGLISH,
    RUSSIAN,
    LocalizedName,
    active_language,
    country_names,
    iso_country_name,
    localized,
)
from .base import Cited, Curated, PublishableQuerySet, wikidata_id_field


def is_user_assigned(code: str) -> bool:
    """Whether ``code`` is in ISO 3166-1's user-assigned range (AA, QM–QZ, XA–XZ, ZZ and the
    alpha-3 codes starting so): codes ISO never gives a country, free for a territory it does
    not list."""
    code = code.upper()
    if len(code) not in (2, 3) or not code.isalpha() or not code.isascii():
        return False
    head = code[:2]
    return head in ("AA", "ZZ") or head[0] == "X" or ("QM" <= head <= "QZ")


def validate_iso2(value: str):
    if not value or (
        pycountry.countries.get(alpha_2=value.upper()) is None
        and not (len(value) == 2 and is_user_assigned(value))
    ):
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166-1 alpha-2 country code.") % {"value": value}
        )
    if value != value.upper():
        raise ValidationError(_("Write the code in capitals: %(code)s.") % {"code": value.upper()})


def validate_iso3(value: str):
    if not value or (
        pycountry.countries.get(alpha_3=value.upper()) is None
        and not (len(value) == 3 and is_user_assigned(value))
    ):
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166-1 alpha-3 country code.") % {"value": value}
        )
    if value != value.upper():
        raise ValidationError(_("Write the code in capitals: %(code)s.") % {"code": value.upper()})


def country_code(code: str | None) -> str:
    """A country code as the atlas stores it: trimmed and in capitals (``by`` is ``BY``)."""
    return (code or "").strip().upper()


def country_code_q(code: str, prefix: str = "") -> Q:
    """The country with this ISO alpha-2 or alpha-3 code, given in any case.

    ``prefix`` reaches the country through a relation: ``country_code_q("by", "member_country__")``.
    """
    code = country_code(code)
    field = "iso2" if len(code) == 2 else "iso3"
    return Q(**{f"{prefix}{field}": code})


class CountryQuerySet(PublishableQuerySet):
    def get_by_code(self, code: str):
        """Look a country up by alpha-2 or alpha-3 code in any case."""
        return self.get(country_code_q(code))


class Country(Curated, Cited):
    name = models.CharField(
        pgettext_lazy("field", "name"),
        max_length=120,
        help_text=gettext_lazy("The short name readers know: Russia, Iran, Türkiye."),
    )
    official_name = models.CharField(gettext_lazy("official name"), max_length=200, blank=True)
    other_names = models.TextField(
        gettext_lazy("other names"),
        blank=True,
        help_text=gettext_lazy(
            "Other names and spellings, one per line (any script); search finds them."
        ),
    )
    iso2 = models.CharField(
        gettext_lazy("ISO alpha-2"), max_length=2, unique=True, validators=[validate_iso2]
    )
    iso3 = models.CharField(
        gettext_lazy("ISO alpha-3"), max_length=3, unique=True, validators=[validate_iso3]
    )
    iso_unlisted = models.BooleanField(
        gettext_lazy("not listed by ISO"),
        default=False,
        help_text=gettext_lazy(
            "Tick for a territory ISO 3166-1 lists no code for (Northern Cyprus): give it "
            "codes from ISO's user-assigned range (XA–XZ, XAA–XZZ). Pages show it as not "
            "ISO-recognised; its dispute note says who contests it."
        ),
    )
    region = models.CharField(
        gettext_lazy("region"),
        max_length=80,
        blank=True,
        help_text=gettext_lazy(
            "For a territory ISO does not list; the API gives every listed country its UN "
            "M49 region and sub-region from its ISO code."
        ),
    )
    wikidata_id = wikidata_id_field()
    notes = models.TextField(gettext_lazy("notes"), blank=True)

    objects = CountryQuerySet.as_manager()  # type: ignore[misc]  # narrows Curated.objects
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("country")
        verbose_name_plural = gettext_lazy("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(iso2=Upper("iso2")) & Q(Exact(Length("iso2"), 2)),
                name="country_iso2_upper",
            ),
            models.CheckConstraint(
                condition=Q(iso3=Upper("iso3")) & Q(Exact(Length("iso3"), 3)),
                name="country_iso3_upper",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:country", args=[self.iso2.lower()])

    @property
    def names(self) -> dict[str, str]:
        """The name in every language: English as stored, the others from pycountry's
        translations of ISO 3166-1 ("" where it has none)."""
        return country_names(self.iso2, self.name)

    @property
    def localized_name(self) -> LocalizedName:
        """The name in the active language, or the English one marked as a fallback."""
        return localized(self.names)

    @property
    def localized_official_name(self) -> LocalizedName:
        """The official name in the active language from ISO's translations (Republic of
        Belarus → Республика Беларусь), or the English one marked as a fallback."""
        language = active_language()
        translated = iso_country_name(self.official_name, language)
        return localized({ENGLISH: self.official_name, language: translated}, language)

    def clean(self):
        super().clean()
        for field in ("iso2", "iso3"):
            value = getattr(self, field)
            if value:
                setattr(self, field, country_code(value))
        codes = {field: getattr(self, field) for field in ("iso2", "iso3") if getattr(self, field)}
        user_assigned = {field: code for field, code in codes.items() if is_user_assigned(code)}
        if user_assigned and not self.iso_unlisted:
            field, code = next(iter(user_assigned.items()))
            kind = "alpha-2" if field == "iso2" else "alpha-3"
            raise ValidationError(
                {
                    field: _(
                        "“%(code)s” is not an ISO 3166-1 %(kind)s country code. For a territory "
                        "ISO lists no code, tick “not listed by ISO” and use a code from the "
                        "user-assigned range."
                    )
                    % {"code": code, "kind": kind}
                }
            )
        if self.iso_unlisted and len(codes) == 2 and len(user_assigned) < 2:
            raise ValidationError(
                {
                    "iso_unlisted": _(
                        "A territory ISO lists no code takes both codes from the "
                        "user-assigned range (XA–XZ and XAA–XZZ), so they never clash with a "
                        "country's."
                    )
                }
            )
        if self.iso2 and self.iso3:
            by_alpha2 = pycountry.countries.get(alpha_2=self.iso2)
            if by_alpha2 is not None and by_alpha2.alpha_3 != self.iso3:
                raise ValidationError(
                    {
                        "iso3": _("%(iso2)s is %(name)s, whose alpha-3 code is %(iso3)s.")
                        % {
                            "iso2": self.iso2,
                            "name": localized(country_names(self.iso2, by_alpha2.name)),
                            "iso3": by_alpha2.alpha_3,
                        }
                    }
                )


class Person(Curated):
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    native_name = models.CharField(
        gettext_lazy("native name"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy("The name in its own script, for example Андрей Сазонов."),
    )
    name_ru = models.CharField(
        gettext_lazy("name in Russian"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy(
            "The name as Russian texts write it (Касым-Жомарт Токаев). Russian pages show "
            "the English name where it is empty."
        ),
    )
    slug = models.SlugField(gettext_lazy("slug"), max_length=200, unique=True)
    description = models.TextField(gettext_lazy("description"), blank=True)
    wikidata_id = wikidata_id_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = gettext_lazy("person")
        verbose_name_plural = gettext_lazy("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:person", args=[self.slug])

    @property
    def names(self) -> dict[str, str]:
        """The name in every language ("" where there is none)."""
        return {ENGLISH: self.name, RUSSIAN: self.name_ru}

    @property
    def localized_name(self) -> LocalizedName:
        """The name in the active language, or the English one marked as a fallback."""
        return localized(self.names)
