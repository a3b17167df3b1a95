"""How the reference facts become atlas records: slugs, kinds, statuses, the sentences cited.

These are the editorial decisions of the seed, one table per question; the builder applies them
and checks each one against the facts and the article, so a table that drifts from the facts
stops the build instead of writing a wrong record.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from orgs.seed.reference import ARTICLE_ID

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
    "partner": ("partner", ""),
    "signatory_not_ratified": ("signatory", ""),
    "suspended": ("suspended", ""),
}
# Qualifiers the article itself adds to a status: (member, organization) → qualifier.
MEMBERSHIP_QUALIFIERS = {("Afghanistan", "SCO"): "de jure"}

# facts status → (Application.kind, requested status, outcome)
APPLICATION_STATUSES = {
    "observer_applicant": ("application", "observer", "pending"),
    "invited_membership_unconfirmed": ("invitation", "member", "pending"),
    "invited_declined": ("invitation", "member", "declined"),
    "prospective_participant": ("prospect", "participant", "pending"),
    "member_applicant": ("application", "member", "pending"),
    "partner_invitee": ("invitation", "partner", "pending"),
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
# Competing spells that ended: Indonesia's claimed partnership gave way to membership.
DEPRECATED_SPELL_ENDS = {("Indonesia", "BRICS"): "2025-01-06"}
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
# Each stage: kind, date, place, source ids, excerpt.
AGREEMENT_STAGES: dict[str, list[tuple[Any, ...]]] = {
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


# --- the late-2025 update (facts-2025h2.json) ------------------------------------------------

# An update's application fields: how it came (mode), what was asked, how it ended.
APPLICATION_MODES = {"applied": "application", "invited": "invitation"}
REQUESTED_STATUSES = {"partner_country": "partner"}
APPLICATION_OUTCOMES = {
    "pending": "pending",
    "accepted": "accepted",
    "granted": "granted",
    "declined": "declined",
    "overtaken": "overtaken",
    "superseded_by_membership": "superseded",
    "no_response_known": "no_response",
}

# A dispute no record names, and the records it is about.
DISPUTE_RECORDS = {
    # The Kazan list: invitations (the dataset's choice) or partners from the start?
    "t2-d03": [f"t2-m{number:03d}" for number in range(23, 36)],
}

# Weak citations the update's sources replace: spell → (weak source, the source replacing it,
# or None where the spell's other sources already carry it). Dropped only when the update is
# applied, so that a spell is never left citing less than it did.
WEAK_CITATIONS = {
    "m011": ("BLOG-2005-OBS", "t2-WORLDJPN-ASTANA-2005"),  # a personal blog
    "m012": ("BLOG-2005-OBS", "t2-WORLDJPN-ASTANA-2005"),
    "m013": ("BLOG-2005-OBS", "t2-WORLDJPN-ASTANA-2005"),
    "m064": ("FACTBOOK-CIS", "t2-LOC-MD"),  # a mirror of The World Factbook
    "m078": ("KAPITALIS-TN", None),  # an article about Tunisia, not Kyrgyzstan
}

# Territories ISO 3166-1 lists no code for: codes from its user-assigned range (XA–XZ,
# XAA–XZZ) and a key from its user-assigned numeric range (900–999), chosen by the atlas.
UNLISTED_TERRITORIES = {"Northern Cyprus": ("XN", "XNC", 900)}

# The update's source classes as the atlas's source kinds.
SOURCE_CLASS_KINDS = {
    "official": "official_website",
    "official_text_mirror": "official_document",
    "government": "official_website",
    "news_agency": "news_article",
    "state_media": "news_article",
    "media": "news_article",
    "academic": "other",
    "reference_wiki": "reference",
    "other": "other",
}

# id: (title, kind, slug), as AGREEMENTS; type_actual is the description.
LATER_AGREEMENTS = {
    "t2-ag01": ("EAEU–Iran interim trade agreement", "interim_trade", "eaeu-iran-interim"),
    "t2-ag02": ("EAEU–Iran free trade agreement", "free_trade", "eaeu-iran"),
    "t2-ag03": ("EAEU–Vietnam free trade agreement", "free_trade", "eaeu-vietnam"),
    "t2-ag04": ("EAEU–Serbia free trade agreement", "free_trade", "eaeu-serbia"),
    "t2-ag05": ("EAEU–China trade and economic cooperation agreement", "other", "eaeu-china"),
    "t2-ag06": ("EAEU–Singapore free trade agreement", "free_trade", "eaeu-singapore"),
    "t2-ag07": ("EAEU–Egypt free trade agreement", "free_trade", "eaeu-egypt"),
    "t2-ag08": ("EAEU–Israel free trade agreement", "free_trade", "eaeu-israel"),
}
# The update's stage names: (the atlas's stage, its note); None keeps the event in the
# agreement's note, for stages of another instrument (the protocol extending an agreement).
LATER_STAGE_KINDS = {
    "signed": ("signed", ""),
    "in_force": ("in_force", ""),
    "negotiations": (
        "negotiations_launched",
        "Negotiations were reported under way by this date; when they were launched is not known.",
    ),
    "superseded": ("terminated", "Superseded by the full free trade agreement, in force that day."),
    "protocol_extending_it_signed": (None, "A protocol extending it was signed"),
    "protocol_in_force": (None, "The protocol extending it entered into force"),
}

# Who reviewed the organizations each reference file covers, and up to when. The base file
# states its reference date (meta.reference_date). The update states none: it is the late-2025
# review (its title), its latest record is dated 2025-12-21 and it reports searching up to
# January 2026, so its organizations are taken as reviewed through the end of 2025.
BASE_REVIEWER = "Compilers of the reference facts (mid-2025 edition)"
UPDATE_REVIEWER = "Compilers of the reference facts (late-2025 update)"
UPDATE_REVIEWED_THROUGH = "2025-12-31"
