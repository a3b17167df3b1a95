"""Build the seed records from the reference facts, and from a cited update of them.

Every record gets a stable primary key derived from the facts (organizations and sources in
facts order, memberships and applications from their ``mNNN`` id, quotes from ``qNN``,
countries from the ISO 3166-1 numeric code; an update's ``t2-`` ids after the base's), so
``loaddata seed`` run twice updates the same rows instead of adding new ones. The base records
are built first and the update's after them, so the base keeps its keys when an update comes.

Nothing is invented: every name, date, note and excerpt comes from the facts files, from
the organizations' own Russian names (names-ru.json, keyed by the facts' ids), from pycountry
(country names and codes) or, for excerpts, from the seed article itself. The
editorial decisions that turn facts into records are the tables in ``orgs.seed.mapping``.
"""

from __future__ import annotations

import re

import pycountry
from django.utils.text import slugify

from orgs.seed.claims import ClaimsBuilder
from orgs.seed.fixture import Fixture
from orgs.seed.mapping import (
    ART_TRANSLATION_NOTE,
    BASE_REVIEWER,
    DISPUTE_RECORDS,
    EVENT_PEOPLE,
    ORG_ARTICLE_SENTENCES,
    ORG_KIND_OVERRIDES,
    ORG_KINDS,
    ORG_PROPOSALS,
    ORG_SLUGS,
    SOURCE_CLASS_KINDS,
    UNLISTED_TERRITORIES,
    UPDATE_REVIEWED_THROUGH,
    UPDATE_REVIEWER,
    WEAK_CITATIONS,
    publisher_for,
    source_kind,
)
from orgs.seed.records import TIMESTAMP, curated_fields, from_update, join_lines
from orgs.seed.reference import ARTICLE_ID, Article, SeedError, id_number, partial
from orgs.seed.timeline import TimelineBuilder


class SeedBuilder(ClaimsBuilder, TimelineBuilder, Fixture):
    """The seed records built from the facts, checked against the facts and the article."""

    def __init__(self, facts: dict, article: Article, names_ru: dict | None = None):
        super().__init__(source_pk={s["id"]: i for i, s in enumerate(facts["sources"], start=1)})
        self.facts = facts
        self.article = article
        # The organizations' Russian names and abbreviations by facts id (names-ru.json).
        self.names_ru: dict[str, dict] = (names_ru or {}).get("organizations", {})
        self.org_pk = {o["id"]: i for i, o in enumerate(facts["organizations"], start=1)}
        self.orgs = {o["id"]: o for o in facts["organizations"]}
        self.org_by_name = {o["name"]: o["id"] for o in facts["organizations"]}
        self.org_proposals = set(ORG_PROPOSALS.values())
        self.country_pk: dict[str, int] = {}
        self.person_pk: dict[str, int] = {}
        self.disputes = {d["id"]: d for d in facts.get("disputes", [])}
        self.source_excerpt = {
            s["id"]: "\n".join(s["excerpt"]) for s in facts["sources"] if s.get("excerpt")
        }
        update = facts.get("meta", {}).get("update")
        self.update_applied = bool(update)
        self.update_timestamp = f"{update['compiled']}T00:00:00Z" if update else TIMESTAMP
        self.reviewed = self.reviews(facts, bool(update))
        self.slugs = {}
        for oid, org in self.orgs.items():
            slug = ORG_SLUGS.get(oid) or org.get("proposed_slug")
            if not slug:
                raise SeedError(f"No slug for organization {oid}.")
            self.slugs[oid] = slug

    def build(self) -> list[dict]:
        base = [lambda record: not from_update(record)]
        self.build_countries()
        self.build_people()
        self.build_sources()
        self.build_organizations(*base)
        self.build_memberships(*base)
        self.build_quotes()
        # Built after the records above so that their citation keys stay as they were.
        self.build_disputed_spells()
        self.build_agreements(*base)
        self.build_events(*base)
        self.build_proposals()
        # An update's records come last, keeping the keys of everything above.
        self.build_organizations(from_update)
        self.build_memberships(from_update)
        self.build_agreements(from_update)
        self.build_events(from_update)
        self.cite_update_sources()
        return self.ordered()

    @staticmethod
    def reviews(facts: dict, updated: bool) -> dict[str, tuple[str, str]]:
        """(reviewed through, reviewed by) for each organization: the reference date of the
        file that last covered it. An update covers the organizations it adds or changes and
        those whose spells, applications or agreements it adds or changes; an event naming an
        organization is not a review of it."""
        base = facts.get("meta", {}).get("reference_date")
        reviewed = (
            {org["id"]: (base, BASE_REVIEWER) for org in facts["organizations"]} if base else {}
        )
        if not updated:
            return reviewed
        touched = set()
        for org in facts["organizations"]:
            if from_update(org) or org.get("_updates"):
                touched.add(org["id"])
        for record in facts["memberships"]:
            if from_update(record) or record.get("_updates"):
                touched.add(record["organization"])
        for record in facts["agreements"]:
            if from_update(record) or record.get("_updates"):
                touched.update(name for name in record["parties"] if name in reviewed)
        return {
            oid: (UPDATE_REVIEWED_THROUGH, UPDATE_REVIEWER) if oid in touched else value
            for oid, value in reviewed.items()
        }

    # -- what every record shares --

    def curated(self, record: dict, **fields) -> dict:
        """The fields every curated record has, dated by the file that last changed it."""
        changed = from_update(record) or bool(record.get("_updates"))
        stamp = self.update_timestamp if changed else TIMESTAMP
        created = stamp if from_update(record) else TIMESTAMP
        return curated_fields(created_at=created, updated_at=stamp, **fields)

    def dispute_text(self, record: dict) -> str:
        """The disputes a record names (``dispute_ids``), each with the atlas's choice."""
        ids = list(record.get("dispute_ids", []))
        ids += [d for d, records in DISPUTE_RECORDS.items() if record.get("id") in records]
        texts = []
        for dispute_id in ids:
            dispute = self.disputes[dispute_id]
            texts.append(
                f"Dispute {dispute_id} ({dispute['topic']}): the atlas follows: "
                f"{dispute['dataset_choice']}"
            )
        return " ".join(texts)

    @staticmethod
    def confidence(record: dict) -> str:
        value = record.get("confidence") or "high"
        if value not in ("high", "medium", "low"):
            raise SeedError(f"{record.get('id')}: unknown confidence {value!r}.")
        return value

    @staticmethod
    def unsourced(record: dict) -> str:
        return "; ".join(record.get("source_needed", []))

    @staticmethod
    def updated_fields(record: dict) -> set[str]:
        return {field for change in record.get("_updates", []) for field in change["set"]}

    @staticmethod
    def appended(record: dict, field: str) -> list[str]:
        """What the update appended to a list field of the record (its ``source``, …)."""
        return [v for change in record.get("_updates", []) for v in change["append"].get(field, [])]

    def appended_sources(self, record: dict) -> list[str]:
        return self.appended(record, "source")

    def original_sources(self, record: dict) -> list[str]:
        """The sources a record had before the update, less a weak one the update replaces."""
        appended = set(self.appended_sources(record))
        sources = [s for s in record.get("source", []) if s not in appended]
        weak = WEAK_CITATIONS.get(record.get("id", ""))
        if weak and self.update_applied:
            weak_source, replacement = weak
            if replacement is None or replacement in record["source"]:
                sources = [s for s in sources if s != weak_source]
        return sources

    def article_excerpt(self, record: dict, source_id: str) -> str:
        if source_id == ARTICLE_ID:
            return self.article.exact(record["article_text"]) if record.get("article_text") else ""
        return self.source_excerpt.get(source_id, "")

    # -- countries --

    def build_countries(self):
        reference = {c["iso3"].upper(): c for c in self.facts["countries"] if c.get("iso3")}
        for country in sorted(pycountry.countries, key=lambda c: int(c.numeric)):
            pk = int(country.numeric)
            iso3 = country.alpha_3.upper()
            ref = reference.pop(iso3, None)
            common = getattr(country, "common_name", None)
            official = getattr(country, "official_name", None)
            name = ref["name"] if ref else (common or country.name)
            others = [n for n in (country.name, official, common) if n and n != name] + list(
                ref.get("aliases", []) if ref else []
            )
            self.country_pk[iso3] = pk
            self.add(
                "country",
                pk,
                curated_fields(
                    name=name,
                    official_name=official or country.name,
                    other_names=join_lines(n for n in others if n != name),
                    iso2=country.alpha_2.upper(),
                    iso3=iso3,
                    iso_unlisted=False,
                    region="",
                    notes=self.country_notes(ref),
                ),
            )
        if reference:
            raise SeedError(f"Reference countries missing from pycountry: {sorted(reference)}.")
        self.build_unlisted_territories()
        self.country_by_name = {
            c["name"]: self.country_pk[
                (c.get("iso3") or UNLISTED_TERRITORIES[c["name"]][1]).upper()
            ]
            for c in self.facts["countries"]
        }

    @staticmethod
    def country_notes(ref: dict | None) -> str:
        if not ref:
            return ""
        if ref.get("mentioned_in_article"):
            return "Mentioned in the seed article."
        return "Not mentioned in the seed article; in the reference facts from external sources."

    def build_unlisted_territories(self):
        """Territories the facts name with no ISO code (Northern Cyprus): user-assigned codes,
        marked as not listed by ISO and disputed, with the facts' note as the dispute."""
        for ref in self.facts["countries"]:
            if ref.get("iso3"):
                continue
            if ref["name"] not in UNLISTED_TERRITORIES:
                raise SeedError(f"No user-assigned codes for {ref['name']!r}.")
            iso2, iso3, pk = UNLISTED_TERRITORIES[ref["name"]]
            self.country_pk[iso3] = pk
            note = ref.get("note", "")
            self.add(
                "country",
                pk,
                self.curated(
                    ref,
                    is_disputed=True,
                    dispute_note=note,
                    name=ref["name"],
                    official_name=(ref.get("aliases") or [ref["name"]])[0],
                    other_names=join_lines(ref.get("aliases", [])[1:]),
                    iso2=iso2,
                    iso3=iso3,
                    iso_unlisted=True,
                    region="",
                    notes=" ".join(
                        [
                            self.country_notes(ref),
                            "ISO 3166-1 lists no code for it: the atlas gives it codes from "
                            "ISO's user-assigned range.",
                        ]
                    ),
                ),
            )

    # -- people --

    def build_people(self):
        roles: dict[str, str] = {}
        for quote in self.facts["quotes"]:
            speaker = quote["speaker"]
            if speaker in self.org_by_name:
                continue
            roles.setdefault(speaker, quote.get("speaker_role", ""))
        for proposal_id in ORG_PROPOSALS.values():
            name, role = self.proposer(proposal_id)
            roles.setdefault(name, role)

        # People named only as event participants come after the others, keeping their keys.
        names = sorted(roles) + [name for name in EVENT_PEOPLE if name not in roles]
        for pk, name in enumerate(names, start=1):
            self.person_pk[name] = pk
            role = roles.get(name, "")
            self.add(
                "person",
                pk,
                curated_fields(
                    name=name,
                    native_name="",
                    slug=slugify(name),
                    description=(role[:1].upper() + role[1:]) if role else "",
                ),
            )

    def proposal(self, proposal_id: str) -> dict:
        for proposal in self.facts["proposals"]:
            if proposal["id"] == proposal_id:
                return proposal
        raise SeedError(f"Unknown proposal {proposal_id!r}.")

    def proposer(self, proposal_id: str) -> tuple[str, str]:
        proposal = self.proposal(proposal_id)
        if proposal.get("proposer_kind") != "person":
            raise SeedError(f"Proposal {proposal_id} was not made by a person.")
        match = re.fullmatch(r"(.+?)\s*(?:\((.+)\))?", proposal["proposer"].strip())
        if match is None:
            raise SeedError(f"Proposal {proposal_id} names no proposer.")
        return match[1], match[2] or ""

    # -- sources --

    def build_sources(self):
        article_meta = self.facts.get("meta", {}).get("article", {})
        for source in self.facts["sources"]:
            pk = self.source_pk[source["id"]]
            published_on, precision = partial(source.get("date"))
            notes = []
            is_article = source["id"] == ARTICLE_ID
            if source.get("date_note"):
                notes.append(f"Date: {source['date_note']}")
            if is_article and article_meta.get("date_confidence"):
                notes.append(f"Date confidence: {article_meta['date_confidence']}.")
            if source.get("title_as_stored") is False:
                notes.append("Title reconstructed from the excerpt; no headline stored.")
            if source.get("url_note"):
                notes.append(f"URL: {source['url_note']}.")
            if source.get("read_via"):
                notes.append(f"Read via: {source['read_via']}")
            if source.get("file"):
                notes.append(f"Stored as {source['file']}.")
            if source.get("excerpt_translation"):
                notes.append("Excerpt in English: " + " ".join(source["excerpt_translation"]))
            if source.get("excerpt_note"):
                notes.append(f"Excerpt: {source['excerpt_note']}")
            if source.get("verification_note"):
                notes.append(f"Verification: {source['verification_note']}")
            if is_article:
                publisher = article_meta.get("publisher") or ""
            else:
                publisher = source.get("publisher") or publisher_for(source.get("url"))
            kind = SOURCE_CLASS_KINDS.get(source.get("source_class", ""), source_kind(source))
            self.add(
                "source",
                pk,
                self.curated(
                    source,
                    key=source["id"],
                    kind=kind,
                    title=source["title"],
                    publisher=publisher,
                    author="",
                    url=source.get("url") or "",
                    archive_url="",
                    published_on=published_on,
                    published_on_precision=precision,
                    retrieved_on=None,
                    language="en" if is_article else source.get("language", ""),
                    translation_note=ART_TRANSLATION_NOTE if is_article else "",
                    notes="\n".join(notes),
                ),
            )

    # -- organizations --

    def build_organizations(self, which):
        for org in self.facts["organizations"]:
            if which(org):
                self.build_organization(org)

    def build_organization(self, org: dict):
        oid = org["id"]
        pk = self.org_pk[oid]
        founded_on, founded_precision = partial(org.get("founded"), org.get("founded_precision"))
        dissolved_on, dissolved_precision = partial(
            org.get("dissolved"), org.get("dissolved_precision")
        )
        reviewed_through, reviewed_by = self.reviewed.get(oid, (None, ""))
        fields = self.curated(
            org,
            name=org["name"],
            acronym=org.get("abbreviation") or ("BRICS+" if org["name"] == "BRICS+" else ""),
            name_ru=self.names_ru.get(oid, {}).get("name", ""),
            acronym_ru=self.names_ru.get(oid, {}).get("abbreviation", ""),
            slug=self.slugs[oid],
            other_names=join_lines(org.get("aliases", [])),
            kind=ORG_KIND_OVERRIDES.get(oid) or ORG_KINDS[org["kind"]],
            lifecycle="dissolved" if dissolved_on else "active",
            parent=self.org_pk[org["parent_org"]] if org.get("parent_org") else None,
            proposed_by=None,
            proposed_on=None,
            proposed_on_precision="day",
            founded_on=founded_on,
            founded_on_precision=founded_precision,
            dissolved_on=dissolved_on,
            dissolved_on_precision=dissolved_precision,
            headquarters="",
            website=org.get("website") or "",
            description="\n\n".join(
                text
                for text in (
                    (org.get("article_says") or [""])[0],
                    org.get("subkind", "").capitalize() + "." if org.get("subkind") else "",
                    org.get("founded_note", ""),
                    self.lifecycle_text(org),
                )
                if text
            ),
            successor=self.successor(org),
            reviewed_through=reviewed_through,
            reviewed_by=reviewed_by,
        )
        if oid == "BRICS":
            fields["is_disputed"] = True
            fields["dispute_note"] = org["founded_note"]
        if "article" in org.get("provenance", ""):
            sentence = self.article.require(ORG_ARTICLE_SENTENCES[oid], f"Sentence naming {oid}")
            self.cite("organization", pk, ARTICLE_ID, excerpt=sentence)
        for stage in org.get("lifecycle", []):
            for source_id in stage.get("source", []):
                if not self.is_cited_by("organization", pk, "", source_id):
                    self.cite(
                        "organization", pk, source_id, excerpt=self.article_excerpt(org, source_id)
                    )
        appended = set(self.appended(org, "founded_source"))
        for source_id in org.get("founded_source", []):
            if source_id not in appended:
                self.cite(
                    "organization",
                    pk,
                    source_id,
                    claim_field="founded_on",
                    excerpt=self.source_excerpt.get(source_id, ""),
                )
        if oid in ORG_PROPOSALS:
            self.add_proposal_facts(pk, fields, ORG_PROPOSALS[oid])
        if not self.is_cited("organization", pk, claim_field=""):
            raise SeedError(f"Organization {oid} has no whole-record citation.")
        self.add("organization", pk, fields)

    def add_proposal_facts(self, pk: int, fields: dict, proposal_id: str):
        proposal = self.proposal(proposal_id)
        name, _role = self.proposer(proposal["id"])
        fields["proposed_by"] = self.person_pk[name]
        fields["proposed_on"], fields["proposed_on_precision"] = partial(
            proposal["proposed"], proposal.get("proposed_precision")
        )
        for claim_field in ("proposed_on", "proposed_by"):
            for source_id in proposal["source"]:
                excerpt = ""
                if source_id == ARTICLE_ID:
                    excerpt = self.article.require(
                        proposal["article_text"], f"Proposal {proposal['id']}"
                    )
                self.cite("organization", pk, source_id, claim_field=claim_field, excerpt=excerpt)

    def successor(self, org: dict) -> int | None:
        """The organization this one became: its own ``successor``, or the one naming it as
        ``predecessor``; the two must agree."""
        named = {org["successor"]} if org.get("successor") else set()
        named |= {o["id"] for o in self.facts["organizations"] if o.get("predecessor") == org["id"]}
        if len(named) > 1:
            raise SeedError(f"{org['id']} has more than one successor: {sorted(named)}.")
        return self.org_pk[named.pop()] if named else None

    @staticmethod
    def lifecycle_text(org: dict) -> str:
        stages = [
            f"{stage['date']}: {stage['stage'].replace('_', ' ')}"
            for stage in org.get("lifecycle", [])
        ]
        return ("Stages: " + "; ".join(stages) + ".") if stages else ""

    def is_cited_by(self, model: str, pk: int, claim_field: str, source_id: str) -> bool:
        source_pk = self.source_pk[source_id]
        return any(
            c["content_type"] == ["orgs", model]
            and c["object_id"] == pk
            and c["claim_field"] == claim_field
            and c["source"] == source_pk
            for c in self.citations
        )

    # -- memberships and applications --

    def member(self, record: dict) -> tuple[int | None, int | None]:
        if record["member_kind"] in ("country", "entity"):
            if record["member"] not in self.country_by_name:
                raise SeedError(f"{record['id']}: unknown country {record['member']!r}.")
            return self.country_by_name[record["member"]], None
        if record["member_kind"] == "organization":
            return None, self.org_pk[record["member"]]
        raise SeedError(f"{record['id']}: unknown member kind {record['member_kind']!r}.")

    def cite_record(self, model: str, pk: int, record: dict):
        for source_id in self.original_sources(record):
            self.cite(model, pk, source_id, excerpt=self.article_excerpt(record, source_id))

    def record_note(self, record: dict) -> str:
        note = record.get("note", "")
        if record.get("evidence_as_of"):
            note = f"{note} Known to hold on {record['evidence_as_of']}.".strip()
        return note

    def dispute_fields(self, record: dict, note: str) -> dict:
        """``is_disputed`` and ``dispute_note`` (the note, and the disputes the record names),
        or the disputes added to the note of a record the facts do not mark disputed."""
        disputes = self.dispute_text(record)
        if record.get("disputed"):
            return {"is_disputed": True, "dispute_note": " ".join(filter(None, [note, disputes]))}
        return {
            "is_disputed": False,
            "dispute_note": "",
            "note": " ".join(filter(None, [note, disputes])),
        }

    def cite_update_sources(self):
        """Cite the sources an update appended to a base record, after everything else, so the
        base citations keep their keys."""
        for record in self.facts["memberships"]:
            if from_update(record) or not record.get("_updates"):
                continue
            pk = id_number(record["id"])
            model = "application" if self.has("application", pk) else "membership"
            for source_id in self.appended_sources(record):
                self.cite(model, pk, source_id, excerpt=self.source_excerpt.get(source_id, ""))
        for record in self.facts["events"]:
            if from_update(record) or not record.get("_updates"):
                continue
            for source_id in self.appended_sources(record):
                self.cite(
                    "event",
                    id_number(record["id"]),
                    source_id,
                    excerpt=self.source_excerpt.get(source_id, ""),
                )
        for org in self.facts["organizations"]:
            if from_update(org) or not org.get("_updates"):
                continue
            for source_id in org.get("founded_source", []):
                if not self.is_cited_by(
                    "organization", self.org_pk[org["id"]], "founded_on", source_id
                ):
                    self.cite(
                        "organization",
                        self.org_pk[org["id"]],
                        source_id,
                        claim_field="founded_on",
                        excerpt=self.source_excerpt.get(source_id, ""),
                    )

    def has(self, model: str, pk: int) -> bool:
        return any(r["model"] == f"orgs.{model}" and r["pk"] == pk for r in self.records)
