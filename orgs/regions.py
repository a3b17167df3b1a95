"""UN M49 regions and ISO 3166-1 numeric codes of countries, from country-converter's table.

The package's table (``country_data.tsv``) gives each ISO alpha-3 code its M49 sub-region
(``UNregion``: Eastern Europe, Central Asia…), its continent (the M49 region: Africa, Americas,
Asia, Europe, Oceania) and its ISO numeric code. It is read once as a plain TSV file, so
nothing here needs pandas, which the package's own converter loads.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
from dataclasses import dataclass

# country-converter says "America" where M49 says "Americas"; Antarctica is in no M49 region.
M49_REGIONS = {
    "Africa": "Africa",
    "America": "Americas",
    "Asia": "Asia",
    "Europe": "Europe",
    "Oceania": "Oceania",
}


@dataclass(frozen=True)
class UNArea:
    region: str
    subregion: str
    iso_numeric: str


NOWHERE = UNArea("", "", "")


@functools.cache
def _areas() -> dict[str, UNArea]:
    table = importlib.resources.files("country_converter") / "country_data.tsv"
    rows = csv.DictReader(io.StringIO(table.read_text(encoding="utf-8")), delimiter="\t")
    areas = {}
    for row in rows:
        numeric = row["ISOnumeric"].strip()
        areas[row["ISO3"].strip().upper()] = UNArea(
            region=M49_REGIONS.get(row["continent"].strip(), ""),
            subregion=row["UNregion"].strip(),
            iso_numeric=numeric.zfill(3) if numeric.isdigit() else "",
        )
    return areas


def un_area(iso3: str) -> UNArea:
    """The M49 region, sub-region and ISO numeric code of a country; empty for a territory ISO
    does not list."""
    return _areas().get((iso3 or "").upper(), NOWHERE)


def iso3_codes_in(area: str) -> list[str]:
    """Alpha-3 codes of the countries in an M49 region or sub-region, named in any case."""
    wanted = area.strip().lower()
    return [
        iso3
        for iso3, found in _areas().items()
        if wanted in (found.region.lower(), found.subregion.lower())
    ]


def un_area_names() -> list[str]:
    """Every M49 region and sub-region the table names, regions first."""
    regions = sorted({area.region for area in _areas().values() if area.region})
    subregions = sorted({area.subregion for area in _areas().values() if area.subregion})
    return [*regions, *subregions]
