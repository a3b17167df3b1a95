"""Build the seed fixture (``fixtures/seed.json``) from the compiled reference facts.

    python manage.py build_seed --facts ../shared/reference/facts.json

Every record gets a stable primary key derived from the facts (organizations and sources in
facts order, memberships and applications from their ``mNNN`` id, quotes from ``qNN``,
countries from the ISO 3166-1 numeric code), so ``loaddata seed`` run twice updates the same
rows instead of adding new ones. The output is deterministic: same facts, same bytes.

Nothing is invented: every name, date, note and excerpt comes from the facts file, from
pycountry (country names and codes) or, for excerpts, from the seed article itself, which the
command reads to check that every excerpt attributed to it occurs there word for word.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pycountry
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

TIMESTAMP = "2026-11-27T00:00:00Z"
ARTICLE_ID = "ART"

ORG_SLUGS = {
    "CIS": "cis",
    "CIS_PLUS": "cis-plus",
    "SCO": "sco",
    "SCO_SECRETARIAT": "sco-secretariat",
    "BRICS": "brics",
    "BRICS_PLUS": "brics-plus",
    "EAEU": "eaeu",
    "GEP": "gep",
    "UN": "un",
    "CIS_DEPT_PHS": "cis-department-phs",
    "VALDAI": "valdai",
    "MGLU": "mglu",
    "IZVESTIA": "izvestia",
}

ORG_KINDS = {
    "international_organization": "intergovernmental",
    "format": "format",
    "body": "body",
    "international_grouping": "grouping",
    "initiative": "initiative",
    "think_tank": "think_tank",
    "university": "university",
    "media": "media",
}
ORG_KIND_OVERRIDES = {"EAEU": "economic_union"}

# A sentence of the seed article that names each organization: its whole-record citation.
# Each one is checked against the article text when the fixture is built.
ORG_ARTICLE_SENTENCES = {
    "CIS": "The CIS Plus platform has begun to be developed in the Commonwealth of Independent "
    "States, the organization told Izvestia.",
    "CIS_PLUS": "The CIS Plus platform has begun to be developed in the Commonwealth of "
    "Independent States, Andrey Sazonov, director of the Department for Cooperation in the "
    "political, Humanitarian and Social spheres of the organization, told Izvestia.",
    "SCO": "In addition to the CIS, the Shanghai Cooperation Organization is also expanding.",
    "SCO_SECRETARIAT": "For example, the SCO secretariat told Izvestia that they do not rule out "
    "the unification of markets with BRICS in the future.",
    "BRICS": "BRICS is also dynamically expanding.",
    "BRICS_PLUS": "And BRICS+ invariably attracts even more participants.",
    "EAEU": "Another economic association, the EAEU, is actively developing in the Eurasian space.",
    "GEP": "Back in 2015, Vladimir Putin put forward the initiative of the Greater Eurasian "
    "Partnership as an idea for building new economic ties.",
    "UN": "The leaders of the CIS countries, including Alexander Lukashenko, Nikol Pashinyan and "
    "Ilham Aliyev, as well as delegations from Asia, Africa, the Middle East and Latin America, "
    "as well as heads of a number of international organizations, including the UN and the SCO, "
    "attended the meeting.",
    "CIS_DEPT_PHS": "The CIS Plus platform has begun to be developed in the Commonwealth of "
    "Independent States, Andrey Sazonov, director of the Department for Cooperation in the "
    "political, Humanitarian and Social spheres of the organization, told Izvestia.",
    "VALDAI": "New organization formats are becoming more and more popular, and participation in "
    "them increases the status of countries, which is also why states strive for such "
    "cooperation, says Andrei Kortunov, an expert at the Valdai Club.",
    "MGLU": "Currently, the vast majority of post-Soviet states are already involved in the work "
    "of the SCO, Dmitry Sidorov, head of the Department of Foreign Regional Studies at MGLU, "
    "told Izvestia.",
    "IZVESTIA": "Why states are interested in these formats of cooperation and what benefits "
    "Russia will receive from this is in the Izvestia article.",
}

# Organizations proposed by a person: organization id → proposal id in facts["proposals"].
ORG_PROPOSALS = {"CIS_PLUS": "pr1", "GEP": "pr2"}

# The organization a speaker spoke for, where the facts make it explicit (the organization's
# ``article_says`` names the person: checked when building).
SPEAKER_ORGANIZATIONS = {
    "Andrey Sazonov": "CIS_DEPT_PHS",
    "Dmitry Sidorov": "MGLU",
    "Andrei Kortunov": "VALDAI",
}

MEMBERSHIP_STATUSES = {
    "member": ("member", ""),
    "associate_member": ("associate_member", ""),
    "observer": ("observer", ""),
    "dialogue_partner": ("dialogue_partner", ""),
    "partner_country": ("partner", ""),
    "participant_as_organization": ("participant", ""),
    "participating_state_charter_not_ratified": ("participant", "Charter not ratified"),
}
# Qualifiers the article itself adds to a status: (member, organization) → qualifier.
MEMBERSHIP_QUALIFIERS = {("Afghanistan", "SCO"): "de jure"}

# facts status → (Application.kind, requested status, outcome)
APPLICATION_STATUSES = {
    "observer_applicant": ("application", "observer", "pending"),
    "invited_membership_unconfirmed": ("invitation", "member", "pending"),
    "invited_declined": ("invitation", "member", "declined"),
    "prospective_participant": ("prospect", "participant", "pending"),
}
# Disputes in facts["disputes"] that concern an application: membership id → dispute id.
APPLICATION_DISPUTES = {"m046": "d01"}

# Competing spells the atlas keeps but does not follow: (dispute, position, member,
# organization, status, start). Their keys start after the reference spells' (m001..m082).
DEPRECATED_SPELL_FIRST_PK = 101
DEPRECATED_SPELLS = [
    ("d02", 1, "Brazil", "BRICS", "member", "2009-06-16"),
    ("d02", 1, "Russia", "BRICS", "member", "2009-06-16"),
    ("d02", 1, "India", "BRICS", "member", "2009-06-16"),
    ("d02", 1, "China", "BRICS", "member", "2009-06-16"),
    ("d01", 0, "Saudi Arabia", "BRICS", "member", "2024-01-01"),
    ("d04", 0, "Indonesia", "BRICS", "partner", "2025-01-01"),
]
# The spells the atlas follows where a competing one is kept.
PREFERRED_SPELLS = {"m036": "d02", "m037": "d02", "m038": "d02", "m039": "d02", "m045": "d04"}

# id: (title, kind, slug). Kinds follow the WTO RTA vocabulary; type_actual is the description.
AGREEMENTS = {
    "ag1": ("EAEU–Mongolia interim trade agreement", "interim_trade", "eaeu-mongolia"),
    "ag2": ("EAEU–UAE economic partnership agreement", "economic_partnership", "eaeu-uae"),
    "ag3": ("EAEU–Indonesia free trade agreement", "free_trade", "eaeu-indonesia"),
    "ag4": ("EAEU–India free trade agreement", "free_trade", "eaeu-india"),
    "ag5": ("EAEU–Tunisia trade agreement", "other", "eaeu-tunisia"),
}
# id: [(stage, date, place, sources (None: the record's external sources), article excerpt)].
# Dates come from the reference record's fields, note or "later" text; "≤" marks a date by
# which the stage had certainly been reached (the article's date, or the month of a report).
AGREEMENT_STAGES = {
    "ag1": [
        ("negotiations_launched", "2024-05-08", "", None, ""),
        ("signed", "2025-06-27", "Minsk", None, ""),
    ],
    "ag2": [
        ("negotiations_launched", "≤2024-08-31", "", None, ""),
        ("signed", "2025-06-27", "Minsk (Supreme Eurasian Economic Council)", None, ""),
    ],
    "ag3": [
        ("negotiations_launched", "2022-12", "", None, ""),
        ("concluded", "2025-06-19", "St Petersburg (SPIEF)", None, ""),
        ("signed", "2025-12", "St Petersburg (Supreme Eurasian Economic Council)", None, ""),
    ],
    "ag4": [
        (
            "proposed",
            "≤2025-06-09",
            "",
            ["ART"],
            "negotiations with India and Tunisia may begin soon",
        ),
        ("negotiations_launched", "2025-08-20", "Moscow", ["BS-INDIA-EAEU"], ""),
    ],
    "ag5": [("feasibility_study", "2024-11", "", None, "")],
}

STAGE_NOTES = {
    (
        "ag2",
        "negotiations_launched",
    ): "The reference data says negotiations on an FTA were under way "
    "in 2024 (Russian MFA, August 2024); the launch date itself is not known.",
    ("ag4", "proposed"): "The article (June 2025) says negotiations may begin soon.",
}

EVENT_ARTICLE_SENTENCES = {
    "ev01": "A meeting in this format was held at the Kazan summit in October 2024.",
    "ev05": "Earlier, the CIS Plus format was proposed by President of Kazakhstan Kassym-Jomart Tokayev.",
    "ev04": "Back in 2015, Vladimir Putin put forward the initiative of the Greater Eurasian Partnership",
}
_KAZAN_ATTENDANCE = (
    "The leaders of the CIS countries, including Alexander Lukashenko, Nikol Pashinyan and Ilham "
    "Aliyev, as well as delegations from Asia, Africa, the Middle East and Latin America, as well as "
    "heads of a number of international organizations, including the UN and the SCO, attended the "
    "meeting."
)
# event id: [(person, country represented, organization, role, article sentence)]
EVENT_PARTICIPANTS = {
    "ev01": [
        ("Alexander Lukashenko", "Belarus", None, "leader of a CIS country", _KAZAN_ATTENDANCE),
        ("Nikol Pashinyan", "Armenia", None, "leader of a CIS country", _KAZAN_ATTENDANCE),
        ("Ilham Aliyev", "Azerbaijan", None, "leader of a CIS country", _KAZAN_ATTENDANCE),
        (None, None, "UN", "head of an international organization", _KAZAN_ATTENDANCE),
        (None, None, "SCO", "head of an international organization", _KAZAN_ATTENDANCE),
        (
            None,
            None,
            "CIS",
            "took part as an organization",
            "Our CIS participated in BRICS+ as an organization.",
        ),
    ],
}
EVENT_PEOPLE = ["Alexander Lukashenko", "Nikol Pashinyan", "Ilham Aliyev"]
PROPOSER_COUNTRIES = {"pr3": ["Russia", "Belarus"]}
PROPOSER_ORGANIZATIONS = {"pr4": "SCO_SECRETARIAT"}


def event_kind(name: str) -> str:
    lowered = name.lower()
    for word, kind in (
        ("summit", "summit"),
        ("council", "council"),
        ("forum", "forum"),
        ("statement", "statement"),
        ("put forward", "statement"),
        ("proposes", "statement"),
    ):
        if word in lowered:
            return kind
    return "other"


QUOTE_KINDS = {"direct": "direct", "indirect": "reported"}

# Source kinds by domain (of the URL, or of the mirror it was read through).
REFERENCE_DOMAINS = (
    "wikipedia.org",
    "wikipedia-on-ipfs.org",
    "wikimili.com",
    "en-academic.com",
    "unboundmedicine.com",  # The World Factbook
)
OFFICIAL_DOMAINS = (
    "mid.ru",
    "kremlin.ru",
    "eaeunion.org",
    "eurasiancommission.org",
    "sectsco.org",
    "e-cis.info",
    "cis.minsk.by",
    "brics.br",
    "brics-russia2024.ru",
)
OFFICIAL_SUFFIXES = (".gov", ".gov.lk", ".gov.tr", ".gov.qa", ".gov.uk", ".gov.in")
BLOG_DOMAINS = ("blogspot.com",)

# Publishers named by a domain, only where the domain maps cleanly to one outlet.
PUBLISHERS = {
    "akchabar.kg": "Akchabar",
    "app.com.pk": "Associated Press of Pakistan",
    "astanatimes.com": "The Astana Times",
    "brandsouthafrica.com": "Brand South Africa",
    "business-standard.com": "Business Standard",
    "chinadaily.com.cn": "China Daily",
    "cis.minsk.by": "CIS Executive Committee",
    "diplomatmagazine.eu": "Diplomat Magazine",
    "gazeta.uz": "Gazeta.uz",
    "kapitalis.com": "Kapitalis",
    "libyannewswire.com": "Libyan News Wire",
    "lokmattimes.com": "Lokmat Times",
    "mfa.gov.tr": "Ministry of Foreign Affairs of Türkiye",
    "mofa.gov.qa": "Ministry of Foreign Affairs of Qatar",
    "newsghana.com.gh": "News Ghana",
    "radiotataouine.tn": "Radio Tataouine",
    "devdiscourse.com": "Devdiscourse",
    "eec.eaeunion.org": "Eurasian Economic Commission",
    "eng.belta.by": "BelTA",
    "euractiv.com": "Euractiv",
    "eurasiancommission.org": "Eurasian Economic Commission",
    "financialexpress.com": "The Financial Express",
    "en.inform.kz": "Kazinform",
    "en.people.cn": "People's Daily Online",
    "en.trend.az": "Trend",
    "trend.az": "Trend",
    "ilna.ir": "ILNA",
    "independent.co.ug": "The Independent (Uganda)",
    "indianexpress.com": "The Indian Express",
    "interfax.com": "Interfax",
    "interfax.ru": "Interfax",
    "kyivpost.com": "Kyiv Post",
    "latimes.com": "Los Angeles Times",
    "lexology.com": "Lexology",
    "malaymail.com": "Malay Mail",
    "massispost.com": "Massis Post",
    "menafn.com": "MENAFN",
    "mg.co.za": "Mail & Guardian",
    "middleeastmonitor.com": "Middle East Monitor",
    "moneycontrol.com": "Moneycontrol",
    "news.az": "News.Az",
    "news.cri.cn": "China Radio International",
    "newscentralasia.net": "News Central Asia",
    "pajhwok.com": "Pajhwok Afghan News",
    "pakistantoday.com.pk": "Pakistan Today",
    "panarmenian.net": "PanARMENIAN.Net",
    "qazinform.com": "Kazinform",
    "ren.tv": "REN TV",
    "report.az": "Report.az",
    "ria.ru": "RIA Novosti",
    "rt.com": "RT",
    "russian.china.org.cn": "China.org.cn",
    "sputnikglobe.com": "Sputnik",
    "sputniknews.jp": "Sputnik Japan",
    "tasnimnews.com": "Tasnim News Agency",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "timesofaddu.com": "Times of Addu",
    "trt.global": "TRT Global",
    "trtworld.com": "TRT World",
    "urdupoint.com": "UrduPoint",
    "wikipedia.org": "Wikipedia",
    "en.wikipedia.org": "Wikipedia",
}

ART_TRANSLATION_NOTE = "Machine translation from Russian (Yandex Translator)"


# --- helpers -------------------------------------------------------------------------------


def partial(value: str | None, precision: str | None = None) -> tuple[str | None, str]:
    """(earliest day, precision) for a facts date; precision ``as_of`` becomes ``by``."""
    if not value:
        return None, "day"
    value = value.strip()
    shape = {4: "year", 7: "month", 10: "day"}.get(len(value))
    if shape is None or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise CommandError(f"Cannot read the date {value!r}.")
    precision = precision or shape
    if precision == "as_of":
        precision = "by"
    if precision == "unknown":
        return None, "day"
    if precision in ("day", "by") and shape != "day":
        raise CommandError(
            f"The date {value!r} is not a full date but its precision is {precision}."
        )
    if precision == "month" and shape == "year":
        raise CommandError(f"The date {value!r} has no month but its precision is month.")
    earliest = {"year": f"{value}-01-01", "month": f"{value}-01", "day": value}[shape]
    return earliest, precision


def host(url: str | None) -> str:
    if not url:
        return ""
    netloc = urlparse(url).hostname or ""
    return netloc.lower().removeprefix("www.")


def matches(domain: str, candidates) -> bool:
    return any(domain == c or domain.endswith("." + c) for c in candidates)


def source_kind(source: dict) -> str:
    if source["id"] == ARTICLE_ID:
        return "news_article"
    domains = [host(source.get("url")), host(source.get("read_via"))]
    if any(matches(d, REFERENCE_DOMAINS) for d in domains if d):
        return "reference"
    domain = domains[0]
    if domain and (matches(domain, OFFICIAL_DOMAINS) or domain.endswith(OFFICIAL_SUFFIXES)):
        return "official_website"
    if domain and matches(domain, BLOG_DOMAINS):
        return "other"
    return "news_article"


def publisher_for(url: str | None) -> str:
    domain = host(url)
    if not domain:
        return ""
    if domain in PUBLISHERS:
        return PUBLISHERS[domain]
    if domain.endswith(".wikipedia.org"):
        return "Wikipedia"
    return ""


def join_lines(values) -> str:
    seen, lines = set(), []
    for value in values:
        value = (value or "").strip()
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            lines.append(value)
    return "\n".join(lines)


def claim_fields(**fields) -> dict:
    return {
        "is_published": True,
        "is_disputed": False,
        "dispute_note": "",
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        **fields,
    }


def id_number(record_id: str) -> int:
    match = re.fullmatch(r"[a-z]+0*(\d+)", record_id)
    if not match:
        raise CommandError(f"Cannot derive a primary key from the id {record_id!r}.")
    return int(match[1])


class Article:
    """The seed article's text, to check that excerpts attributed to it are its own words."""

    def __init__(self, text: str):
        self.text = text
        self.sentences = [
            s.strip()
            for line in text.splitlines()
            for s in re.split(r"(?<=[.!?])\s+", line)
            if s.strip()
        ]
        self.replaced: list[tuple[str, str]] = []

    def exact(self, excerpt: str) -> str:
        """``excerpt`` if the article contains it verbatim, else the closest article sentence."""
        if excerpt in self.text:
            return excerpt
        best = max(self.sentences, key=lambda s: difflib.SequenceMatcher(None, excerpt, s).ratio())
        self.replaced.append((excerpt, best))
        return best

    def require(self, excerpt: str, what: str) -> str:
        if excerpt not in self.text:
            raise CommandError(f"{what}: {excerpt!r} is not in the seed article.")
        return excerpt


# --- the builder ---------------------------------------------------------------------------


class SeedBuilder:
    def __init__(self, facts: dict, article: Article):
        self.facts = facts
        self.article = article
        self.records: list[dict] = []
        self.citations: list[dict] = []
        self.source_pk = {s["id"]: i for i, s in enumerate(facts["sources"], start=1)}
        self.org_pk = {o["id"]: i for i, o in enumerate(facts["organizations"], start=1)}
        self.orgs = {o["id"]: o for o in facts["organizations"]}
        self.org_by_name = {o["name"]: o["id"] for o in facts["organizations"]}
        self.country_pk: dict[str, int] = {}
        self.person_pk: dict[str, int] = {}
        self.warnings: list[str] = []
        unknown = set(self.org_pk) - set(ORG_SLUGS)
        if unknown:
            raise CommandError(f"No slug for organizations {sorted(unknown)}.")

    def add(self, model: str, pk: int, fields: dict):
        self.records.append({"model": f"orgs.{model}", "pk": pk, "fields": fields})

    def cite(self, model: str, object_pk: int, source_id: str, *, claim_field="", excerpt=""):
        if source_id not in self.source_pk:
            raise CommandError(f"Unknown source {source_id!r} cited by {model} #{object_pk}.")
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
                claim_fields(
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
            raise CommandError(f"Reference countries missing from pycountry: {sorted(reference)}.")
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
                claim_fields(
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
        raise CommandError(f"Unknown proposal {proposal_id!r}.")

    def proposer(self, proposal_id: str) -> tuple[str, str]:
        proposal = self.proposal(proposal_id)
        if proposal.get("proposer_kind") != "person":
            raise CommandError(f"Proposal {proposal_id} was not made by a person.")
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
                claim_fields(
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
            fields = claim_fields(
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
            if not any(
                c["content_type"] == ["orgs", "organization"]
                and c["object_id"] == pk
                and c["claim_field"] == ""
                for c in self.citations
            ):
                raise CommandError(f"Organization {oid} has no whole-record citation.")
            self.add("organization", pk, fields)

    # -- memberships and applications --

    def member(self, record: dict) -> tuple[int | None, int | None]:
        if record["member_kind"] == "country":
            if record["member"] not in self.country_by_name:
                raise CommandError(f"{record['id']}: unknown country {record['member']!r}.")
            return self.country_by_name[record["member"]], None
        if record["member_kind"] == "organization":
            return None, self.org_pk[record["member"]]
        raise CommandError(f"{record['id']}: unknown member kind {record['member_kind']!r}.")

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
                    claim_fields(
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
                    claim_fields(
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
                raise CommandError(f"{record['id']}: unknown status {status!r}.")

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
                        raise CommandError(f"The facts do not tie {speaker} to {oid}.")
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
                claim_fields(
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

    def record(self, model: str, pk: int) -> dict:
        for record in self.records:
            if record["model"] == f"orgs.{model}" and record["pk"] == pk:
                return record
        raise CommandError(f"No {model} #{pk} to rank.")

    def build_disputed_spells(self):
        disputes = {d["id"]: d for d in self.facts.get("disputes", [])}
        for number, (dispute_id, position, member, organization, status, start) in enumerate(
            DEPRECATED_SPELLS, start=DEPRECATED_SPELL_FIRST_PK
        ):
            dispute = disputes[dispute_id]
            claim = dispute["positions"][position]
            reason = f"{dispute['topic']}. The atlas follows: {dispute['dataset_choice']}"
            if len(reason) > 300:
                raise CommandError(f"Rank reason for {dispute_id} is longer than 300 characters.")
            start_day, start_precision = partial(start)
            self.add(
                "membership",
                number,
                claim_fields(
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
        raise CommandError(f"Unknown party {name!r}.")

    def build_agreements(self):
        party_pk = stage_pk = 0
        for record in self.facts["agreements"]:
            pk = id_number(record["id"])
            title, kind, slug = AGREEMENTS[record["id"]]
            self.add(
                "agreement",
                pk,
                claim_fields(
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
                    claim_fields(
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
                        raise CommandError(f"{record['id']}: {source_id} is not among its sources.")
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
                claim_fields(
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
                claim_fields(
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

    # -- output --

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
        order = [
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
        records = sorted(
            self.records, key=lambda r: (order.index(r["model"].split(".")[1]), r["pk"])
        )
        for pk, citation in enumerate(self.citations, start=1):
            records.append({"model": "orgs.citation", "pk": pk, "fields": citation})
        return records


def find_article(facts_path: Path, facts: dict) -> Path | None:
    relative = facts.get("meta", {}).get("article", {}).get("file")
    if not relative:
        return None
    for base in (facts_path.parent, facts_path.parent.parent):
        candidate = base / relative
        if candidate.is_file():
            return candidate
    return None


class Command(BaseCommand):
    help = "Convert the reference facts (facts.json) into the seed fixture fixtures/seed.json."

    def add_arguments(self, parser):
        parser.add_argument("--facts", required=True, help="Path to facts.json.")
        parser.add_argument(
            "--article",
            help="Path to the seed article text (default: the file facts.json names, "
            "looked up beside facts.json and one folder up).",
        )
        parser.add_argument(
            "--output",
            help="Where to write the fixture (default: fixtures/seed.json in the project).",
        )

    def handle(self, *args, **options):
        facts_path = Path(options["facts"])
        if not facts_path.is_file():
            raise CommandError(f"No facts file at {facts_path}.")
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        article_path = (
            Path(options["article"]) if options["article"] else find_article(facts_path, facts)
        )
        if article_path is None or not article_path.is_file():
            raise CommandError(
                "The seed article was not found; pass --article PATH so excerpts can be checked."
            )
        article = Article(article_path.read_text(encoding="utf-8"))
        records = SeedBuilder(facts, article).build()
        for excerpt, sentence in article.replaced:
            self.stderr.write(
                self.style.WARNING(
                    f"Not verbatim in the article: {excerpt!r}; cited its closest sentence "
                    f"{sentence!r} instead."
                )
            )
        output = (
            Path(options["output"])
            if options["output"]
            else (Path(settings.BASE_DIR) / "fixtures" / "seed.json")
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(records, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        output.write_text(text, encoding="utf-8")
        counts: dict[str, int] = {}
        for record in records:
            counts[record["model"]] = counts.get(record["model"], 0) + 1
        summary = ", ".join(f"{model.split('.')[1]} {n}" for model, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(records)} records to {output}: {summary}.")
        )
