"""Memberships a kept dataset already holds, as rows of the atlas's membership import.

A dataset here is a column of the ``country-converter`` package's country table that gives, for
each member, the year it joined (``UNmember``: the 193 UN member states and their year of
admission). Its rows are the membership import's (``MembershipResource``) and the citations
import's (``CitationResource``), so ``manage.py import_dataset`` brings them in exactly as an
editor's file would: previewed first, written as drafts, and changes to published spells kept
for review.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.resources
from dataclasses import dataclass

import pycountry
import tablib  # type: ignore[import-untyped]

PACKAGE = "country_converter"
DATA_FILE = "country_data.tsv"


@dataclass(frozen=True)
class Dataset:
    """One column of the package's table, as memberships of one organization."""

    organization: str  # its slug in the atlas
    column: str  # the year each member joined; empty for non-members
    status: str
    source_key: str
    source_title: str

    def source_fields(self) -> dict[str, str]:
        version = importlib.metadata.version("country-converter")
        return {
            "key": self.source_key,
            "kind": "dataset",
            "title": self.source_title,
            "publisher": "country_converter (Python package)",
            "url": "https://github.com/IndEcol/country_converter",
            "notes": f"country_converter {version}, {DATA_FILE}, column {self.column}: "
            "the year each member joined.",
        }


DATASETS = {
    "un-members": Dataset(
        organization="un",
        column="UNmember",
        status="member",
        source_key="DATASET-COCO-UN",
        source_title="UN member states and their year of admission (country_converter data)",
    ),
}


def dataset_table() -> list[dict[str, str]]:
    """The package's country table, one dict per country."""
    path = importlib.resources.files(PACKAGE) / DATA_FILE
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def dataset_rows(dataset: Dataset) -> tuple[tablib.Dataset, tablib.Dataset]:
    """(memberships, citations) in the columns of the atlas's imports, one row per member: a
    spell from the year it joined, at year precision, and its citation of the dataset."""
    spells = tablib.Dataset(
        headers=["organization", "member", "member_kind", "status", "start", "note"]
    )
    citations = tablib.Dataset(
        headers=["organization", "member", "member_kind", "status", "start", "source", "excerpt"]
    )
    for row in sorted(dataset_table(), key=lambda row: row["ISO3"]):
        year = (row.get(dataset.column) or "").strip()
        if not year:
            continue
        if not (year.isdigit() and len(year) == 4):
            raise ValueError(f"{row['name_short']}: {dataset.column} is {year!r}, not a year.")
        # The import names a country by its alpha-2 code; the table's ISO2 column holds a
        # pattern for a few (GR or EL), its ISO3 column the code alone.
        country = pycountry.countries.get(alpha_3=row["ISO3"].strip())
        if country is None:
            raise ValueError(f"{row['name_short']}: no ISO country has the code {row['ISO3']!r}.")
        member = country.alpha_2
        key = [dataset.organization, member, "country", dataset.status, year]
        spells.append([*key, f"Imported from the {dataset.column} column of {PACKAGE}."])
        citations.append(
            [*key, dataset.source_key, f"{row['name_short']}: {dataset.column} {year}"]
        )
    return spells, citations
