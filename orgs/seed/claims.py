"""A part of ``SeedBuilder`` (``orgs.seed.builder``): the claims of the seed — membership spells,
applications and invitations, quotes, and the competing claims kept as deprecated spells. The
methods read ``self.facts`` and write records through the builder's helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from orgs.seed.mapping import (
    APPLICATION_DISPUTES,
    APPLICATION_MODES,
    APPLICATION_OUTCOMES,
    APPLICATION_STATUSES,
    DEPRECATED_SPELL_ENDS,
    DEPRECATED_SPELL_FIRST_PK,
    DEPRECATED_SPELLS,
    MEMBERSHIP_QUALIFIERS,
    MEMBERSHIP_STATUSES,
    PREFERRED_SPELLS,
    QUOTE_KINDS,
    REQUESTED_STATUSES,
    SPEAKER_ORGANIZATIONS,
)
from orgs.seed.records import curated_fields
from orgs.seed.reference import ARTICLE_ID, SeedError, id_number, partial

# The reference data's notes to its own compilers ("carried over from m017": the id of the
# record a late-2025 record continues) are not for readers of the atlas.
_COMPILERS_NOTE = re.compile(r"\s*\(carried over from [a-z]+\d+\)")


def _public_text(text: str | None) -> str:
    """``text`` without the reference data's cross-references to its own record ids."""
    return _COMPILERS_NOTE.sub("", text or "").strip()


class ClaimsBuilder:
    """Spells, applications, quotes and the deprecated spells of disputed claims."""

    # What this part uses of the rest of the builder.
    facts: dict[str, Any]
    org_pk: dict[str, int]
    disputes: Any
    add: Callable[..., Any]
    cite_record: Callable[..., Any]
    curated: Callable[..., dict[str, Any]]
    confidence: Callable[[dict[str, Any]], str]
    unsourced: Callable[[dict[str, Any]], str]
    dispute_fields: Callable[[dict[str, Any], str], dict[str, Any]]
    member: Callable[[dict[str, Any]], tuple[int | None, int | None]]
    record_note: Callable[[dict[str, Any]], str]

    def build_memberships(self, which):
        for record in self.facts["memberships"]:
            if not which(record):
                continue
            status = record["status"]
            if record.get("record_type") == "application" or status in APPLICATION_STATUSES:
                self.build_application(record)
            elif status in MEMBERSHIP_STATUSES:
                self.build_spell(record)
            else:
                raise SeedError(f"{record['id']}: unknown status {status!r}.")

    def build_spell(self, record: dict):
        pk = id_number(record["id"])
        country, organization = self.member(record)
        start, start_precision = partial(record["start"], record.get("date_precision"))
        end, end_precision = partial(
            record.get("end"), record.get("end_precision") or record.get("date_precision")
        )
        note = self.record_note(record)
        mapped, qualifier = MEMBERSHIP_STATUSES[record["status"]]
        qualifier = _public_text(record.get("qualifier")) or MEMBERSHIP_QUALIFIERS.get(
            (record["member"], record["organization"]), qualifier
        )
        founding = record.get("founding")
        if founding is None:
            founding = bool(re.search(r"founding (member|signatory)", note, re.IGNORECASE))
        continues = record.get("predecessor_spell")
        values = {"note": note, **self.dispute_fields(record, note)}
        self.add(
            "membership",
            pk,
            self.curated(
                record,
                organization=self.org_pk[record["organization"]],
                member_country=country,
                member_organization=organization,
                status=mapped,
                qualifier=qualifier,
                start=start,
                start_precision=start_precision,
                end=end,
                end_precision=end_precision,
                is_founding=bool(founding),
                continues=id_number(continues) if continues else None,
                rank="normal",
                rank_reason="",
                confidence=self.confidence(record),
                unsourced=self.unsourced(record),
                **values,
            ),
        )
        self.cite_record("membership", pk, record)

    def build_application(self, record: dict):
        pk = id_number(record["id"])
        country, organization = self.member(record)
        start, start_precision = partial(record["start"], record.get("date_precision"))
        end, end_precision = partial(
            record.get("end"), record.get("end_precision") or record.get("date_precision")
        )
        kind, requested, outcome = APPLICATION_STATUSES[record["status"]]
        kind = APPLICATION_MODES.get(record.get("mode", ""), kind)
        requested = record.get("requested_status", requested)
        requested = REQUESTED_STATUSES.get(requested, requested)
        outcome = APPLICATION_OUTCOMES[record["outcome"]] if record.get("outcome") else outcome
        note = self.record_note(record)
        fields = {"note": note, **self.dispute_fields(record, note)}
        dispute_id = APPLICATION_DISPUTES.get(record["id"])
        if dispute_id:
            dispute = self.disputes[dispute_id]
            fields = {
                "note": note,
                "is_disputed": True,
                "dispute_note": (
                    f"{note} Dispute {dispute_id} ({dispute['topic']}): dataset choice: "
                    f"{dispute['dataset_choice']}"
                ).strip(),
            }
        resulting = record.get("resulting_spell")
        self.add(
            "application",
            pk,
            self.curated(
                record,
                organization=self.org_pk[record["organization"]],
                applicant_country=country,
                applicant_organization=organization,
                kind=kind,
                requested_status=requested,
                filed_on=start,
                filed_on_precision=start_precision,
                decided_on=end,
                decided_on_precision=end_precision,
                outcome=outcome,
                resulting_membership=id_number(resulting) if resulting else None,
                confidence=self.confidence(record),
                unsourced=self.unsourced(record),
                **fields,
            ),
        )
        self.cite_record("application", pk, record)

    # -- quotes --

    def build_quotes(self):
        for quote in self.facts["quotes"]:
            pk = id_number(quote["id"])
            speaker = quote["speaker"]
            speaker_pk, speaker_org = None, None
            if speaker in self.org_by_name:
                speaker_org = self.org_pk[self.org_by_name[speaker]]
            else:
                speaker_pk = self.person_pk[speaker]
                if speaker in SPEAKER_ORGANIZATIONS:
                    oid = SPEAKER_ORGANIZATIONS[speaker]
                    surname = speaker.split()[-1]
                    if not any(surname in line for line in self.orgs[oid].get("article_says", [])):
                        raise SeedError(f"The facts do not tie {speaker} to {oid}.")
                    speaker_org = self.org_pk[oid]
            about_orgs = sorted(self.org_pk[a] for a in quote.get("about", []) if a in self.org_pk)
            about_countries = sorted(
                self.country_by_name[a] for a in quote.get("about", []) if a in self.country_by_name
            )
            notes = [quote.get("note", "")]
            skipped = [
                a
                for a in quote.get("about", [])
                if a not in self.org_pk and a not in self.country_by_name
            ]
            for item in skipped:
                proposal = self.proposal(item)
                notes.append(
                    f"About the proposal “{proposal['name']}” (not modelled in the atlas)."
                )
            if quote.get("attribution_confidence") == "medium":
                notes.append("Attribution confidence: medium.")
            said_on, said_precision = self.said_on(quote)
            self.add(
                "quote",
                pk,
                curated_fields(
                    text=quote["text"],
                    original_text="",
                    original_language="",
                    kind=QUOTE_KINDS[quote["kind"]],
                    speaker=speaker_pk,
                    speaker_role=quote.get("speaker_role", ""),
                    speaker_organization=speaker_org,
                    said_on=said_on,
                    said_on_precision=said_precision,
                    about_organizations=about_orgs,
                    about_countries=about_countries,
                    note=" ".join(n for n in notes if n).strip(),
                ),
            )
            for source_id in quote["source"]:
                excerpt = quote["text"]
                if source_id == ARTICLE_ID:
                    self.article.require(excerpt, f"Quote {quote['id']}")
                self.cite("quote", pk, source_id, excerpt=excerpt)

    def said_on(self, quote: dict) -> tuple[str | None, str]:
        """When the words were said: the month the facts give (in the role), or else, for words
        the article alone reports, "by" the article's date."""
        match = re.search(
            r"statement of (January|February|March|April|May|June|July|August|September|"
            r"October|November|December) (\d{4})",
            quote.get("speaker_role", ""),
        )
        if match:
            months = [
                "January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December",
            ]  # fmt: skip
            return partial(f"{match[2]}-{months.index(match[1]) + 1:02d}")
        article_date = self.facts.get("meta", {}).get("article", {}).get("date")
        if article_date and quote["source"] == [ARTICLE_ID]:
            return partial(article_date, "as_of")
        return None, "day"

    # -- disputed claims: competing spells ranked as Wikidata ranks statements --

    def build_disputed_spells(self):
        for number, (dispute_id, position, member, organization, status, start) in enumerate(
            DEPRECATED_SPELLS, start=DEPRECATED_SPELL_FIRST_PK
        ):
            dispute = self.disputes[dispute_id]
            claim = dispute["positions"][position]
            reason = f"{dispute['topic']}. The atlas follows: {dispute['dataset_choice']}"
            if len(reason) > 300:
                raise SeedError(f"Rank reason for {dispute_id} is longer than 300 characters.")
            start_day, start_precision = partial(start)
            end_day, end_precision = partial(DEPRECATED_SPELL_ENDS.get((member, organization)))
            self.add(
                "membership",
                number,
                curated_fields(
                    is_disputed=True,
                    dispute_note=f"Competing claim ({dispute_id}): {claim['claim']}",
                    organization=self.org_pk[organization],
                    member_country=self.country_by_name[member],
                    member_organization=None,
                    status=status,
                    qualifier="",
                    start=start_day,
                    start_precision=start_precision,
                    end=end_day,
                    end_precision=end_precision,
                    is_founding=False,
                    continues=None,
                    rank="deprecated",
                    rank_reason=reason,
                    confidence="high",
                    unsourced="",
                    note=claim["claim"],
                ),
            )
            for source_id in claim["source"]:
                self.cite("membership", number, source_id)
        for membership_id, dispute_id in PREFERRED_SPELLS.items():
            fields = self.record("membership", id_number(membership_id))["fields"]
            dispute = self.disputes[dispute_id]
            fields["rank"] = "preferred"
            fields["is_disputed"] = True
            if not fields["dispute_note"]:
                fields["dispute_note"] = f"{dispute['topic']}: {dispute['dataset_choice']}"

    # -- what an update added to the base records' sources --
