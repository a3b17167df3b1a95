"""The fixture being built: records and their citations, in the order ``loaddata`` wants them."""

from __future__ import annotations

import json
from pathlib import Path

from orgs.seed.reference import SeedError

# Parents before children, so a fixture loads in one pass; citations come last.
MODEL_ORDER = [
    "country",
    "person",
    "source",
    "organization",
    "membership",
    "application",
    "quote",
    "agreement",
    "agreementparty",
    "agreementstage",
    "event",
    "eventparticipant",
    "proposal",
]


class Fixture:
    """Records by model and primary key, and the citations of each, numbered as they come."""

    def __init__(self, source_pk: dict[str, int]):
        self.source_pk = source_pk
        self.records: list[dict] = []
        self.citations: list[dict] = []

    def add(self, model: str, pk: int, fields: dict):
        self.records.append({"model": f"orgs.{model}", "pk": pk, "fields": fields})

    def record(self, model: str, pk: int) -> dict:
        for record in self.records:
            if record["model"] == f"orgs.{model}" and record["pk"] == pk:
                return record
        raise SeedError(f"No {model} #{pk} to rank.")

    def cite(self, model: str, object_pk: int, source_id: str, *, claim_field="", excerpt=""):
        if source_id not in self.source_pk:
            raise SeedError(f"Unknown source {source_id!r} cited by {model} #{object_pk}.")
        position = sum(
            1
            for c in self.citations
            if c["content_type"] == ["orgs", model] and c["object_id"] == object_pk
        )
        self.citations.append(
            {
                "content_type": ["orgs", model],
                "object_id": object_pk,
                "claim_field": claim_field,
                "source": self.source_pk[source_id],
                "excerpt": excerpt,
                "locator": "",
                "position": position,
            }
        )

    def is_cited(self, model: str, pk: int, claim_field: str) -> bool:
        return any(
            c["content_type"] == ["orgs", model]
            and c["object_id"] == pk
            and c["claim_field"] == claim_field
            for c in self.citations
        )

    def ordered(self) -> list[dict]:
        """Records by model (``MODEL_ORDER``) and key, then the citations numbered from 1."""
        records = sorted(
            self.records, key=lambda r: (MODEL_ORDER.index(r["model"].split(".")[1]), r["pk"])
        )
        for pk, citation in enumerate(self.citations, start=1):
            records.append({"model": "orgs.citation", "pk": pk, "fields": citation})
        return records


def write_fixture(records: list[dict], output: Path) -> str:
    """Write ``records`` as deterministic JSON (same records, same bytes); say what was written."""
    output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(records, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    output.write_text(text, encoding="utf-8")
    counts: dict[str, int] = {}
    for record in records:
        counts[record["model"]] = counts.get(record["model"], 0) + 1
    summary = ", ".join(f"{model.split('.')[1]} {n}" for model, n in counts.items())
    return f"Wrote {len(records)} records to {output}: {summary}."
