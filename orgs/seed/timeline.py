"""The seed's agreements, events and proposals: what happened, when, and who took part.

A part of ``SeedBuilder`` (``orgs.seed.builder``): the methods here read ``self.facts`` and the
keys the builder has already given countries, organizations, people and sources.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import Any

from django.utils.text import slugify

from orgs.seed.mapping import (
    AGREEMENT_STAGES,
    AGREEMENTS,
    EVENT_ARTICLE_SENTENCES,
    EVENT_PARTICIPANTS,
    LATER_AGREEMENTS,
    LATER_STAGE_KINDS,
    PROPOSER_COUNTRIES,
    PROPOSER_ORGANIZATIONS,
    STAGE_NOTES,
    event_kind,
)
from orgs.seed.reference import ARTICLE_ID, SeedError, id_number, partial


def stage_date(value: str, precision: str) -> tuple[str, str]:
    """A stage's date; "as of" a month becomes "by" the month's last day, the latest day the
    source vouches for."""
    if precision == "as_of" and len(value) == 7:
        year, month = (int(part) for part in value.split("-"))
        return f"{value}-{calendar.monthrange(year, month)[1]:02d}", "by"
    day, kind = partial(value, precision)
    if day is None:
        raise SeedError(f"A stage needs a date, not {value!r}.")
    return day, kind


class TimelineBuilder:
    """Agreements with parties and stages, events with participants, proposals."""

    # What this part uses of the rest of the builder.
    facts: dict[str, Any]
    article: Any
    org_pk: dict[str, int]
    country_by_name: dict[str, int]
    source_excerpt: dict[str, str]
    add: Callable[..., Any]
    cite: Callable[..., Any]
    curated: Callable[..., dict[str, Any]]
    confidence: Callable[[dict[str, Any]], str]
    dispute_fields: Callable[[dict[str, Any], str], dict[str, Any]]
    original_sources: Callable[[dict[str, Any]], list[str]]
    appended_sources: Callable[[dict[str, Any]], list[str]]
    updated_fields: Callable[[dict[str, Any]], set[str]]
    article_excerpt: Callable[[dict[str, Any], str], str]

    def party(self, name: str) -> tuple[int | None, int | None]:
        if name in self.org_pk:
            return None, self.org_pk[name]
        if name in self.country_by_name:
            return self.country_by_name[name], None
        raise SeedError(f"Unknown party {name!r}.")

    # -- agreements --

    def build_agreements(self, which):
        for record in self.facts["agreements"]:
            if not which(record):
                continue
            if record["id"] in AGREEMENTS:
                self.build_article_agreement(record)
            elif record["id"] in LATER_AGREEMENTS:
                self.build_later_agreement(record)
            else:
                raise SeedError(f"No title, kind and slug for agreement {record['id']}.")

    def add_agreement(self, record: dict, title: str, kind: str, slug: str, *, description, note):
        pk = id_number(record["id"])
        self.add(
            "agreement",
            pk,
            self.curated(
                record,
                title=title,
                slug=slug,
                kind=kind,
                description=description,
                confidence=self.confidence(record),
                unsourced="",
                **{"note": note, **self.dispute_fields(record, note)},
            ),
        )
        for source_id in self.original_sources(record):
            self.cite("agreement", pk, source_id, excerpt=self.article_excerpt(record, source_id))
        for name in record["parties"]:
            self.party_pk = getattr(self, "party_pk", 0) + 1
            country, organization = self.party(name)
            self.add(
                "agreementparty",
                self.party_pk,
                {"agreement": pk, "country": country, "organization": organization},
            )
        return pk

    def add_stage(self, agreement_pk: int, stage: str, day: str, precision: str, **fields) -> int:
        self.stage_pk = getattr(self, "stage_pk", 0) + 1
        self.add(
            "agreementstage",
            self.stage_pk,
            self.curated(
                {},
                agreement=agreement_pk,
                stage=stage,
                date=day,
                date_precision=precision,
                place=fields.get("place", ""),
                note=fields.get("note", ""),
                confidence=fields.get("confidence", "high"),
                unsourced=fields.get("unsourced", ""),
            ),
        )
        return self.stage_pk

    def build_article_agreement(self, record: dict):
        """An agreement the article names: stages from the table in ``mapping``, and a date an
        update made more precise from the record's own field (``signed``)."""
        title, kind, slug = AGREEMENTS[record["id"]]
        pk = self.add_agreement(
            record,
            title,
            kind,
            slug,
            description=f"{record['type_actual']}. The article calls it: "
            f"{record['type_in_article']}.",
            note=" ".join(
                text for text in (record.get("note", ""), record.get("later") or "") if text
            ),
        )
        updated = self.updated_fields(record)
        appended = self.appended_sources(record)
        for stage, date, place, source_ids, excerpt in AGREEMENT_STAGES[record["id"]]:
            day, precision = partial(date.lstrip("≤"))
            if date.startswith("≤"):
                precision = "by"
            if stage in updated:
                # The update gave this stage's date: it must refine the table's, not move it.
                day, precision = partial(record[stage], record.get(f"{stage}_precision"))
                if not day or not day.startswith(date.lstrip("≤")[:7]):
                    raise SeedError(f"{record['id']}: the update moves {stage} to {day}.")
            if day is None:
                raise SeedError(f"{record['id']}: {stage} has no date.")
            stage_pk = self.add_stage(
                pk,
                stage,
                day,
                precision,
                place=place,
                note=STAGE_NOTES.get((record["id"], stage), ""),
            )
            cited = source_ids or [s for s in self.original_sources(record) if s != ARTICLE_ID]
            if stage in updated:
                cited = [*cited, *appended]
            for source_id in cited:
                if source_id not in record["source"]:
                    raise SeedError(f"{record['id']}: {source_id} is not among its sources.")
                text = (
                    self.article.require(excerpt, record["id"])
                    if source_id == ARTICLE_ID
                    else self.source_excerpt.get(source_id, "")
                )
                self.cite("agreementstage", stage_pk, source_id, excerpt=text)

    def build_later_agreement(self, record: dict):
        """An agreement of the late-2025 update: its stages, each with its own sources."""
        title, kind, slug = LATER_AGREEMENTS[record["id"]]
        notes = [record.get("note", "")]
        stages: dict[str, list[dict]] = {}
        for stage in record.get("stages", []):
            kind_of_stage, stage_note = LATER_STAGE_KINDS[stage["stage"]]
            if kind_of_stage is None:
                day, _ = stage_date(stage["date"], stage["precision"])
                notes.append(
                    f"{stage_note} on {day}"
                    + (f" ({stage['place']})." if stage.get("place") else ".")
                )
                continue
            stages.setdefault(kind_of_stage, []).append({**stage, "note": stage_note})
        pk = self.add_agreement(
            record,
            title,
            kind,
            slug,
            description=f"{record['type_actual']}.",
            note=" ".join(note for note in notes if note),
        )
        for kind_of_stage, reports in stages.items():
            first, *later = sorted(reports, key=lambda stage: stage["date"])
            day, precision = stage_date(first["date"], first["precision"])
            note = first["note"]
            if later:
                note = " ".join(
                    filter(
                        None,
                        [
                            note,
                            "Also reported under way: " + ", ".join(r["date"] for r in later) + ".",
                        ],
                    )
                )
            unsourced = first.get("source_needed") or ""
            stage_pk = self.add_stage(
                pk,
                kind_of_stage,
                day,
                precision,
                place=first.get("place", "") or "",
                note=note,
                confidence="medium" if unsourced else self.confidence(record),
                unsourced=unsourced[:200],
            )
            for report in [first, *later]:
                for source_id in report["source"]:
                    self.cite(
                        "agreementstage",
                        stage_pk,
                        source_id,
                        excerpt=self.source_excerpt.get(source_id, ""),
                    )

    # -- events --

    def build_events(self, which):
        for record in self.facts["events"]:
            if not which(record):
                continue
            pk = id_number(record["id"])
            start, start_precision = partial(record["start"], record.get("date_precision"))
            end, end_precision = partial(record.get("end"), record.get("date_precision"))
            notes = [record.get("note", ""), record.get("external", "")]
            self.add(
                "event",
                pk,
                self.curated(
                    record,
                    name=record["name"],
                    slug=slugify(record["name"])[:100].strip("-"),
                    kind=event_kind(record["name"]),
                    start=start,
                    start_precision=start_precision,
                    end=end,
                    end_precision=end_precision,
                    place=record.get("place", ""),
                    organizers=sorted(self.org_pk[o] for o in record["organizations"]),
                    description=record.get("article_says", ""),
                    note=" ".join(n for n in notes if n),
                ),
            )
            for source_id in self.original_sources(record):
                excerpt = self.source_excerpt.get(source_id, "")
                if source_id == ARTICLE_ID and record["id"] in EVENT_ARTICLE_SENTENCES:
                    excerpt = self.article.require(
                        EVENT_ARTICLE_SENTENCES[record["id"]], record["id"]
                    )
                self.cite("event", pk, source_id, excerpt=excerpt)
            for person, country, organization, role, sentence in EVENT_PARTICIPANTS.get(
                record["id"], []
            ):
                self.participant_pk = getattr(self, "participant_pk", 0) + 1
                self.add(
                    "eventparticipant",
                    self.participant_pk,
                    {
                        "event": pk,
                        "person": self.person_pk[person] if person else None,
                        "country": self.country_by_name[country] if country else None,
                        "organization": self.org_pk[organization] if organization else None,
                        "role": role,
                        "note": "",
                    },
                )
                self.cite(
                    "eventparticipant",
                    self.participant_pk,
                    ARTICLE_ID,
                    excerpt=self.article.require(sentence, f"{record['id']} participant"),
                )

    # -- proposals --

    def build_proposals(self):
        for record in self.facts["proposals"]:
            if record["id"] in self.org_proposals:
                continue  # recorded on the organization it proposed
            pk = id_number(record["id"])
            proposed_on, precision = partial(
                record.get("proposed"), record.get("proposed_precision")
            )
            person = organization = None
            countries: list[int] = []
            if record["proposer_kind"] == "person":
                person = self.person_pk[self.proposer(record["id"])[0]]
            elif record["proposer_kind"] == "countries":
                countries = sorted(
                    self.country_by_name[c] for c in PROPOSER_COUNTRIES[record["id"]]
                )
            elif record["proposer_kind"] == "organization_body":
                organization = self.org_pk[PROPOSER_ORGANIZATIONS[record["id"]]]
            self.add(
                "proposal",
                pk,
                self.curated(
                    {},
                    title=record["name"],
                    slug=slugify(record["name"])[:100].strip("-"),
                    proposed_by_person=person,
                    proposed_by_countries=countries,
                    proposed_by_organization=organization,
                    proposed_on=proposed_on,
                    proposed_on_precision=precision,
                    organization=self.org_pk[record["organization"]]
                    if record.get("organization")
                    else None,
                    stage=record.get("stage_in_article", ""),
                    outcome=record.get("outcome") or "",
                    note=record.get("note", ""),
                ),
            )
            self.cite_record("proposal", pk, record)
