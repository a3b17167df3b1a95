"""Build the seed records from the reference facts.

Every record gets a stable primary key derived from the facts (organizations and sources in
facts order, memberships and applications from their ``mNNN`` id, quotes from ``qNN``,
countries from the ISO 3166-1 numeric code), so ``loaddata seed`` run twice updates the same
rows instead of adding new ones.

Nothing is invented: every name, date, note and excerpt comes from the facts file, from
pycountry (country names and codes) or, for excerpts, from the seed article itself.
"""

from __future__ import annotations

import re

import pycountry
from django.utils.text import slugify

from orgs.seed.fixture import Fixture
from orgs.seed.mapping import (
    AGREEMENT_STAGES,
    AGREEMENTS,
    APPLICATION_DISPUTES,
    APPLICATION_STATUSES,
    ART_TRANSLATION_NOTE,
    DEPRECATED_SPELL_FIRST_PK,
    DEPRECATED_SPELLS,
    EVENT_ARTICLE_SENTENCES,
    EVENT_PARTICIPANTS,
    EVENT_PEOPLE,
    MEMBERSHIP_QUALIFIERS,
    MEMBERSHIP_STATUSES,
    ORG_ARTICLE_SENTENCES,
    ORG_KIND_OVERRIDES,
    ORG_KINDS,
    ORG_PROPOSALS,
    ORG_SLUGS,
    PREFERRED_SPELLS,
    PROPOSER_COUNTRIES,
    PROPOSER_ORGANIZATIONS,
    QUOTE_KINDS,
    SPEAKER_ORGANIZATIONS,
    STAGE_NOTES,
    event_kind,
    publisher_for,
    source_kind,
)
from orgs.seed.reference import ARTICLE_ID, Article, SeedError, id_number, partial

# Every record was last changed at the same moment, so rebuilding changes no byte.
TIMESTAMP = "2026-11-27T00:00:00Z"


def join_lines(values) -> str:
    seen, lines = set(), []
    for value in values:
        value = (value or "").strip()
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            lines.append(value)
    return "\n".join(lines)


def curated_fields(**fields) -> dict:
    return {
        "is_published": True,
        "is_disputed": False,
        "dispute_note": "",
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        **fields,
    }


class SeedBuilder(Fixture):
    """The seed records built from the facts, checked against the facts and the article."""

    def __init__(self, facts: dict, article: Article):
        super().__init__(source_pk={s["id"]: i for i, s in enumerate(facts["sources"], start=1)})
        self.facts = facts
        self.article = article
        self.org_pk = {o["id"]: i for i, o in enumerate(facts["organizations"], start=1)}
        self.orgs = {o["id"]: o for o in facts["organizations"]}
        self.org_by_name = {o["name"]: o["id"] for o in facts["organizations"]}
        self.country_pk: dict[str, int] = {}
        self.person_pk: dict[str, int] = {}
        unknown = set(self.org_pk) - set(ORG_SLUGS)
        if unknown:
            raise SeedError(f"No slug for organizations {sorted(unknown)}.")

    def build(self) -> list[dict]:
        self.build_countries()
        self.build_people()
        self.build_sources()
        self.build_organizations()
        self.build_memberships()
        self.build_quotes()
        # Built after the records above so that their citation keys stay as they were.
        self.build_disputed_spells()
        self.build_agreements()
        self.build_events()
        self.build_proposals()
        return self.ordered()

    # -- countries --

    def build_countries(self):
        reference = {c["iso3"].upper(): c for c in self.facts["countries"]}
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
            notes = ""
            if ref:
                notes = (
                    "Mentioned in the seed article."
                    if ref.get("mentioned_in_article")
                    else "Not mentioned in the seed article; in the reference facts from "
                    "external sources."
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
                    region="",
                    notes=notes,
                ),
            )
        if reference:
            raise SeedError(f"Reference countries missing from pycountry: {sorted(reference)}.")
        self.country_by_name = {
            c["name"]: self.country_pk[c["iso3"].upper()] for c in self.facts["countries"]
        }

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
            if is_article:
                publisher = article_meta.get("publisher") or ""
            else:
                publisher = publisher_for(source.get("url"))
            self.add(
                "source",
                pk,
                curated_fields(
                    key=source["id"],
                    kind=source_kind(source),
                    title=source["title"],
                    publisher=publisher,
                    author="",
                    url=source.get("url") or "",
                    archive_url="",
                    published_on=published_on,
                    published_on_precision=precision,
                    retrieved_on=None,
                    language="en" if is_article else "",
                    translation_note=ART_TRANSLATION_NOTE if is_article else "",
                    notes="\n".join(notes),
                ),
            )

    # -- organizations --

    def build_organizations(self):
        for org in self.facts["organizations"]:
            oid = org["id"]
            pk = self.org_pk[oid]
            founded_on, founded_precision = partial(
                org.get("founded"), org.get("founded_precision")
            )
            fields = curated_fields(
                name=org["name"],
                acronym=org.get("abbreviation") or ("BRICS+" if org["name"] == "BRICS+" else ""),
                slug=ORG_SLUGS[oid],
                other_names=join_lines(org.get("aliases", [])),
                kind=ORG_KIND_OVERRIDES.get(oid) or ORG_KINDS[org["kind"]],
                lifecycle="active",
                parent=self.org_pk[org["parent_org"]] if org.get("parent_org") else None,
                proposed_by=None,
                proposed_on=None,
                proposed_on_precision="day",
                founded_on=founded_on,
                founded_on_precision=founded_precision,
                dissolved_on=None,
                dissolved_on_precision="day",
                headquarters="",
                website="",
                description="\n\n".join(
                    text
                    for text in ((org.get("article_says") or [""])[0], org.get("founded_note", ""))
                    if text
                ),
            )
            if oid == "BRICS":
                fields["is_disputed"] = True
                fields["dispute_note"] = org["founded_note"]
            if "article" in org.get("provenance", ""):
                sentence = self.article.require(
                    ORG_ARTICLE_SENTENCES[oid], f"Sentence naming {oid}"
                )
                self.cite("organization", pk, ARTICLE_ID, excerpt=sentence)
            for source_id in org.get("founded_source", []):
                self.cite(
                    "organization",
                    pk,
                    source_id,
                    claim_field="founded_on",
                )
            if oid in ORG_PROPOSALS:
                proposal = self.proposal(ORG_PROPOSALS[oid])
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
                        self.cite(
                            "organization", pk, source_id, claim_field=claim_field, excerpt=excerpt
                        )
            if not self.is_cited("organization", pk, claim_field=""):
                raise SeedError(f"Organization {oid} has no whole-record citation.")
            self.add("organization", pk, fields)

    # -- memberships and applications --

    def member(self, record: dict) -> tuple[int | None, int | None]:
        if record["member_kind"] == "country":
            if record["member"] not in self.country_by_name:
                raise SeedError(f"{record['id']}: unknown country {record['member']!r}.")
            return self.country_by_name[record["member"]], None
        if record["member_kind"] == "organization":
            return None, self.org_pk[record["member"]]
        raise SeedError(f"{record['id']}: unknown member kind {record['member_kind']!r}.")

    def cite_record(self, model: str, pk: int, record: dict):
        for source_id in record["source"]:
            excerpt = ""
            if source_id == ARTICLE_ID and record.get("article_text"):
                excerpt = self.article.exact(record["article_text"])
            self.cite(model, pk, source_id, excerpt=excerpt)

    def build_memberships(self):
        disputes = {d["id"]: d for d in self.facts.get("disputes", [])}
        for record in self.facts["memberships"]:
            pk = id_number(record["id"])
            country, organization = self.member(record)
            start, start_precision = partial(record["start"], record.get("date_precision"))
            end, end_precision = partial(
                record.get("end"), record.get("end_precision") or record.get("date_precision")
            )
            disputed = bool(record.get("disputed"))
            note = record.get("note", "")
            status = record["status"]
            if status in MEMBERSHIP_STATUSES:
                mapped, qualifier = MEMBERSHIP_STATUSES[status]
                qualifier = MEMBERSHIP_QUALIFIERS.get(
                    (record["member"], record["organization"]), qualifier
                )
                founding = bool(re.search(r"founding (member|signatory)", note, re.IGNORECASE))
                self.add(
                    "membership",
                    pk,
                    curated_fields(
                        is_disputed=disputed,
                        dispute_note=note if disputed else "",
                        organization=self.org_pk[record["organization"]],
                        member_country=country,
                        member_organization=organization,
                        status=mapped,
                        qualifier=qualifier,
                        start=start,
                        start_precision=start_precision,
                        end=end,
                        end_precision=end_precision,
                        is_founding=founding,
                        rank="normal",
                        rank_reason="",
                        note=note,
                    ),
                )
                self.cite_record("membership", pk, record)
            elif status in APPLICATION_STATUSES:
                kind, requested, outcome = APPLICATION_STATUSES[status]
                dispute_note = note if disputed else ""
                dispute_id = APPLICATION_DISPUTES.get(record["id"])
                if dispute_id:
                    disputed = True
                    dispute = disputes[dispute_id]
                    dispute_note = (
                        f"{note} Dispute {dispute_id} ({dispute['topic']}): dataset choice: "
                        f"{dispute['dataset_choice']}"
                    ).strip()
                self.add(
                    "application",
                    pk,
                    curated_fields(
                        is_disputed=disputed,
                        dispute_note=dispute_note,
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
                        note=note,
                    ),
                )
                self.cite_record("application", pk, record)
            else:
                raise SeedError(f"{record['id']}: unknown status {status!r}.")

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

    @staticmethod
    def said_on(quote: dict) -> tuple[str | None, str]:
        """A date only where the facts state when the words were said (in the role or note)."""
        match = re.search(
            r"statement of (January|February|March|April|May|June|July|August|September|"
            r"October|November|December) (\d{4})",
            quote.get("speaker_role", ""),
        )
        if not match:
            return None, "day"
        months = [
            "January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December",
        ]  # fmt: skip
        return partial(f"{match[2]}-{months.index(match[1]) + 1:02d}")

    # -- disputed claims: competing spells ranked as Wikidata ranks statements --

    def build_disputed_spells(self):
        disputes = {d["id"]: d for d in self.facts.get("disputes", [])}
        for number, (dispute_id, position, member, organization, status, start) in enumerate(
            DEPRECATED_SPELLS, start=DEPRECATED_SPELL_FIRST_PK
        ):
            dispute = disputes[dispute_id]
            claim = dispute["positions"][position]
            reason = f"{dispute['topic']}. The atlas follows: {dispute['dataset_choice']}"
            if len(reason) > 300:
                raise SeedError(f"Rank reason for {dispute_id} is longer than 300 characters.")
            start_day, start_precision = partial(start)
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
                    end=None,
                    end_precision="day",
                    is_founding=False,
                    rank="deprecated",
                    rank_reason=reason,
                    note=claim["claim"],
                ),
            )
            for source_id in claim["source"]:
                self.cite("membership", number, source_id)
        for membership_id, dispute_id in PREFERRED_SPELLS.items():
            fields = self.record("membership", id_number(membership_id))["fields"]
            dispute = disputes[dispute_id]
            fields["rank"] = "preferred"
            fields["is_disputed"] = True
            if not fields["dispute_note"]:
                fields["dispute_note"] = f"{dispute['topic']}: {dispute['dataset_choice']}"

    # -- agreements, events and proposals --

    def party(self, name: str) -> tuple[int | None, int | None]:
        if name in self.org_pk:
            return None, self.org_pk[name]
        if name in self.country_by_name:
            return self.country_by_name[name], None
        raise SeedError(f"Unknown party {name!r}.")

    def build_agreements(self):
        party_pk = stage_pk = 0
        for record in self.facts["agreements"]:
            pk = id_number(record["id"])
            title, kind, slug = AGREEMENTS[record["id"]]
            self.add(
                "agreement",
                pk,
                curated_fields(
                    title=title,
                    slug=slug,
                    kind=kind,
                    description=f"{record['type_actual']}. The article calls it: "
                    f"{record['type_in_article']}.",
                    note=" ".join(
                        text for text in (record.get("note", ""), record.get("later") or "") if text
                    ),
                ),
            )
            self.cite_record("agreement", pk, record)
            for name in record["parties"]:
                party_pk += 1
                country, organization = self.party(name)
                self.add(
                    "agreementparty",
                    party_pk,
                    {"agreement": pk, "country": country, "organization": organization},
                )
            for stage, date, place, source_ids, excerpt in AGREEMENT_STAGES[record["id"]]:
                stage_pk += 1
                day, precision = partial(date.lstrip("≤"))
                if date.startswith("≤"):
                    precision = "by"
                self.add(
                    "agreementstage",
                    stage_pk,
                    curated_fields(
                        agreement=pk,
                        stage=stage,
                        date=day,
                        date_precision=precision,
                        place=place,
                        note=STAGE_NOTES.get((record["id"], stage), ""),
                    ),
                )
                for source_id in source_ids or [s for s in record["source"] if s != ARTICLE_ID]:
                    if source_id not in record["source"]:
                        raise SeedError(f"{record['id']}: {source_id} is not among its sources.")
                    text = (
                        self.article.require(excerpt, record["id"])
                        if source_id == ARTICLE_ID
                        else ""
                    )
                    self.cite("agreementstage", stage_pk, source_id, excerpt=text)

    def build_events(self):
        participant_pk = 0
        for record in self.facts["events"]:
            pk = id_number(record["id"])
            start, start_precision = partial(record["start"], record.get("date_precision"))
            end, end_precision = partial(record.get("end"), record.get("date_precision"))
            notes = [record.get("note", ""), record.get("external", "")]
            self.add(
                "event",
                pk,
                curated_fields(
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
            for source_id in record["source"]:
                excerpt = ""
                if source_id == ARTICLE_ID and record["id"] in EVENT_ARTICLE_SENTENCES:
                    excerpt = self.article.require(
                        EVENT_ARTICLE_SENTENCES[record["id"]], record["id"]
                    )
                self.cite("event", pk, source_id, excerpt=excerpt)
            for person, country, organization, role, sentence in EVENT_PARTICIPANTS.get(
                record["id"], []
            ):
                participant_pk += 1
                self.add(
                    "eventparticipant",
                    participant_pk,
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
                    participant_pk,
                    ARTICLE_ID,
                    excerpt=self.article.require(sentence, f"{record['id']} participant"),
                )

    def build_proposals(self):
        for record in self.facts["proposals"]:
            if record["id"] in ORG_PROPOSALS.values():
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
                curated_fields(
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
