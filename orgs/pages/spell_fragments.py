"""The marks beside every spell, and the rows of spells, rendered in Python.

An organization's profile lists every member with its footnote marks, its qualifier, how sure
the sources are, whether it is a draft or disputed, and the competing claims: five small
templates a row, every word a tag. On a large organization those rows were most of the page's
time. Here each piece is a string format with the same translatable messages the templates
used (``templates/orgs/_marks.html``, ``_spell.html``, ``_assessed.html``, ``_draft.html``,
``_dispute.html``, ``_competing.html``, which other pages still include), so the catalogues
translate them unchanged; every value from the database is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, strip_spaces_between_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from orgs.models import Application, Confidence
from orgs.templatetags.atlas import lang_marked

from .addresses import Addresses
from .charts import status_label

_CONFIDENCE_LABELS = dict(Confidence.choices)
_OUTCOME_LABELS = dict(Application.Outcome.choices)


def confidence_label(confidence: str) -> str:
    return str(_CONFIDENCE_LABELS.get(confidence, confidence))


# --- marks: templates/orgs/_marks.html, _assessed.html, _draft.html, _dispute.html -------------


def marks_html(numbers: Iterable[int]) -> str:
    """Footnote marks, or "unsourced" when there are none."""
    label = gettext("Source %(number)s")
    marks = "".join(
        f'<sup class="fn-ref"><a href="#fn-{number}" aria-label="{label % {"number": number}}">'
        f"{number}</a></sup>"
        for number in numbers
    )
    if marks:
        return marks
    return (
        f'<span class="unsourced" title="{gettext("No published source supports this yet")}">'
        f"{gettext('unsourced')}</span>"
    )


def assessed_html(record) -> str:
    """How sure the claim is and which part of it no source was found for."""
    parts = []
    if record.confidence in ("medium", "low"):
        parts.append(
            f' <span class="tag confidence-{record.confidence}" '
            f'title="{gettext("The sources make this claim less than certain")}">'
            f"{gettext('%(confidence)s confidence') % {'confidence': escape(confidence_label(record.confidence))}}"
            "</span>"
        )
    if record.unsourced:
        title = gettext("No source was found for this part; the value is the compilers' knowledge")
        parts.append(
            f' <span class="tag unsourced" title="{title}">'
            f"{gettext('unsourced: %(part)s') % {'part': escape(record.unsourced)}}</span>"
        )
    return "".join(parts)


def draft_html(record) -> str:
    if record and not record.is_published:
        return f' <span class="tag draft">{gettext("Draft — not public")}</span>'
    return ""


def dispute_html(record) -> str:
    if not record.is_disputed:
        return ""
    note = record.dispute_note
    summary = Truncator(note or gettext("sources disagree")).words(10, truncate=" …")
    return (
        f' <details class="dispute-note"><summary>{gettext("disputed:")} {escape(summary)}'
        f"</summary>{escape(note)}</details>"
    )


# --- a spell: templates/orgs/_spell.html and _competing.html -----------------------------------


def spell_notes_html(spell, *, check_certainty: bool = False) -> str:
    """What is said beside a spell: qualifier, founding, reclassified, how sure, uncertain on
    the date (with ``check_certainty``), draft, disputed."""
    parts = []
    if spell.qualifier:
        parts.append(f' <span class="qualifier">({escape(spell.qualifier)})</span>')
    if spell.is_founding:
        parts.append(f' <span class="tag">{gettext("founding")}</span>')
    previous_spell = spell.continues if spell.continues_id else None
    if previous_spell is not None and previous_spell.is_published:
        previous = {"previous": escape(status_label(previous_spell.status))}
        title = gettext(
            "The organization merged or renamed its statuses: this spell continues the "
            "%(previous)s spell, it is not a new accession"
        )
        parts.append(
            f' <span class="tag reclassified" title="{title % previous}">'
            f"{gettext('reclassified from %(previous)s') % previous}</span>"
        )
    parts.append(assessed_html(spell))
    if check_certainty and not getattr(spell, "is_certain", None):
        title = gettext(
            "Its start or end is known only to the month or year, and that window contains "
            "the chosen date"
        )
        parts.append(f' <span class="uncertain" title="{title}">{gettext("uncertain")}</span>')
    parts.append(draft_html(spell))
    parts.append(dispute_html(spell))
    return "".join(parts)


def competing_html(spell) -> str:
    """The competing claims about a spell the atlas does not follow."""
    parts = []
    for claim in getattr(spell, "competing", ()):
        words = {
            "status": escape(status_label(claim.status)),
            "start": escape(claim.start_partial.display),
            "reason": escape(claim.rank_reason),
        }
        end = claim.end_partial
        if end:
            words["end"] = escape(end.display)
            text = gettext(
                "disputed: %(status)s from %(start)s to %(end)s (a competing claim the atlas "
                "does not follow) — %(reason)s"
            )
        else:
            text = gettext(
                "disputed: %(status)s from %(start)s (a competing claim the atlas does not "
                "follow) — %(reason)s"
            )
        parts.append(
            f'<p class="competing">{text % words}'
            f"{marks_html(getattr(claim, 'marks', ()))}{draft_html(claim)}</p>"
        )
    return "".join(parts)


def spell_html(spell, *, check_certainty: bool = False) -> str:
    """A spell's marks, notes and competing claims, as the member rows end."""
    return (
        marks_html(getattr(spell, "marks", ()))
        + spell_notes_html(spell, check_certainty=check_certainty)
        + competing_html(spell)
    )


# --- rows of the organization page -------------------------------------------------------------


def _since(spell) -> str:
    start = escape(spell.start_partial.display)
    return f'<span class="since">{gettext("since %(start)s") % {"start": start}}</span>'


def country_member_rows(spells: Iterable, addresses: Addresses) -> SafeString:
    """``<li>`` rows of the countries holding a status: the country (on the page's date), since
    when, and the spell's marks."""
    return mark_safe(  # every value is escaped above or here
        "".join(
            f'<li><a href="{escape(addresses.country(spell.member_country, dated=True))}">'
            f"{lang_marked(spell.member_country.localized_name)}</a> {_since(spell)}"
            f"{spell_html(spell, check_certainty=True)}</li>"
            for spell in spells
        )
    )


def organization_member_rows(spells: Iterable, addresses: Addresses, *, by: str) -> SafeString:
    """``<li>`` rows of organizations in a status: the member organization (``by="member"``) or
    the organization taken part in (``by="organization"``), its status, since when, marks."""
    rows = []
    for spell in spells:
        shown = spell.member_organization if by == "member" else spell.organization
        rows.append(
            f'<li><a href="{escape(addresses.organization(shown))}">{escape(str(shown))}</a>: '
            f"{escape(status_label(spell.status))} {_since(spell)}"
            f"{spell_html(spell, check_certainty=True)}</li>"
        )
    return mark_safe("".join(rows))  # escaped


def former_member_rows(spells: Iterable, addresses: Addresses) -> SafeString:
    """``<li>`` rows of former members: the member, its status, the period, when it left."""
    wording = gettext("%(status)s %(period)s, left %(end)s")
    rows = []
    for spell in spells:
        words = {
            "status": escape(status_label(spell.status)),
            "period": escape(spell.period),
            "end": escape(spell.end_partial.display),
        }
        rows.append(
            f'<li><a href="{escape(addresses.member(spell))}">{escape(str(spell.member))}</a>: '
            f"{wording % words}{marks_html(getattr(spell, 'marks', ()))}"
            f"{spell_notes_html(spell)}</li>"
        )
    return mark_safe("".join(rows))  # escaped


# --- applications: templates/orgs/_application.html --------------------------------------------


def application_html(application, addresses: Addresses, *, show_organization: bool = False) -> str:
    """An application or invitation: who, to what (with ``show_organization``), for which
    status, when filed, how and when decided, and its marks."""
    applicant = application.applicant_country or application.applicant_organization
    if application.applicant_country_id:
        applicant_url = addresses.country(applicant)
    else:
        applicant_url = addresses.organization(applicant)
    parts = [f'<a href="{escape(applicant_url)}">{escape(str(applicant))}</a>']
    if show_organization:
        organization = application.organization
        parts.append(
            f' → <a href="{escape(addresses.organization(organization))}">'
            f"{lang_marked(organization.localized_short_name)}</a>"
        )
    status = {"status": escape(status_label(application.requested_status))}
    if application.kind == "invitation":
        parts.append(": " + gettext("invited to become %(status)s") % status)
    elif application.kind == "prospect":
        parts.append(": " + gettext("named as a possible %(status)s") % status)
    else:
        parts.append(": " + gettext("applied for %(status)s status") % status)
    filed = application.filed_on_partial
    if filed:
        parts.append(f", {escape(filed.display)}")
    if application.outcome != "pending":
        parts.append(f"; {escape(str(_OUTCOME_LABELS.get(application.outcome, '')))}")
        decided = application.decided_on_partial
        if decided:
            parts.append(f" {escape(decided.display)}")
    # The template's lines between its parts, of which what is not between two tags stays.
    parts.append(
        f"{assessed_html(application)}\n{draft_html(application)}\n{dispute_html(application)}\n"
    )
    parts.append(marks_html(getattr(application, "marks", ())))
    return strip_spaces_between_tags("".join(parts))


def application_rows(
    applications: Iterable, addresses: Addresses, *, show_organization: bool = False
) -> SafeString:
    """``<li>`` rows of applications; on a country's page, those still open tagged pending."""
    pending = f' <span class="tag">{gettext("pending")}</span>'
    return mark_safe(  # escaped
        "".join(
            f"<li>{application_html(application, addresses, show_organization=show_organization)}"
            f"{pending if getattr(application, 'still_open', False) else ''}</li>"
            for application in applications
        )
    )


# --- footnotes: templates/orgs/_footnotes.html -------------------------------------------------


def footnote_items(notes: Iterable, addresses: Addresses | None = None) -> SafeString:
    """The ``<li>`` of each footnote: the source, its links, and the excerpt cited."""
    addresses = addresses or Addresses()
    original, archived = gettext("Original"), gettext("Archived copy")
    items = []
    for note in notes:
        citation = note.citation
        source = citation.source
        cited = f"{escape(source.publisher)}, " if source.publisher else ""
        cited += f'<cite><a href="{escape(addresses.source(source.pk))}">{escape(source.title)}</a></cite>'
        published = source.published_on_partial
        if published:
            cited += f", {escape(published.display)}"
        links = (
            f'<a href="{escape(source.url)}" rel="noopener external">{original}</a>'
            if source.url
            else ""
        )
        if source.archive_url:
            links += (
                f' · <a href="{escape(source.archive_url)}" rel="noopener external">{archived}</a>'
            )
        translation = (
            f'<span class="translation-note">({escape(source.translation_note)})</span>'
            if source.translation_note
            else ""
        )
        excerpt = f"<blockquote>{escape(citation.excerpt)}</blockquote>" if citation.excerpt else ""
        locator = (
            f'<span class="locator">{escape(citation.locator)}</span>' if citation.locator else ""
        )
        items.append(
            f'<li id="fn-{note.number}">\n{cited}.\n{links}\n{translation}\n{excerpt}\n'
            f"{locator}\n</li>"
        )
    return mark_safe("".join(items))  # escaped


# --- quotes: templates/orgs/_quote.html ---------------------------------------------------------


def quote_html(quote, addresses: Addresses) -> str:
    """A quote as a figure: the words (and the original), who said them, when, its marks, and
    what it is about."""
    blockquote = '<blockquote lang="en">' if quote.original_language else "<blockquote>"
    blockquote += f"<p>{escape(quote.text)}</p>"
    if quote.original_text:
        language = f' lang="{escape(quote.original_language)}"' if quote.original_language else ""
        blockquote += f'<p class="original"{language}>{escape(quote.original_text)}</p>'
    blockquote += "</blockquote>"
    speaker, organization = quote.speaker, quote.speaker_organization
    if speaker:
        caption = (
            f'<a href="{escape(addresses.person(speaker.slug))}">'
            f"{lang_marked(speaker.localized_name)}</a>"
        )
    elif organization:
        caption = escape(str(organization))
    else:
        caption = ""
    if quote.speaker_role:
        caption += f", {escape(quote.speaker_role)}"
    if speaker and organization:
        caption += f" ({lang_marked(organization.localized_short_name)})"
    said = quote.said_on_partial
    if said:
        caption += f", {escape(said.display)}"
    reported = (
        f'<span class="tag">{gettext("reported speech")}</span>' if quote.kind == "reported" else ""
    )
    about_organizations = list(quote.about_organizations.all())
    about_countries = list(quote.about_countries.all())
    links = [
        f'<a href="{escape(addresses.organization(about))}">'
        f"{lang_marked(about.localized_short_name)}</a>"
        for about in about_organizations
    ] + [
        f'<a href="{escape(addresses.country(about))}">{lang_marked(about.localized_name)}</a>'
        for about in about_countries
    ]
    about = f'<span class="about">{gettext("About:")} {", ".join(links)}</span>' if links else ""
    # The template's line breaks, which are spaces between the caption's inline parts.
    return (
        f'<figure class="quote">\n  {blockquote}\n  <figcaption>\n    {caption}\n    '
        f"{reported}\n    {marks_html(getattr(quote, 'marks', ()))}\n\n    "
        f"{draft_html(quote)}\n\n    {dispute_html(quote)}\n\n    {about}\n  </figcaption>\n"
        "</figure>\n"
    )


def quote_figures(quotes: Iterable, addresses: Addresses | None = None) -> SafeString:
    addresses = addresses or Addresses()
    return mark_safe("".join(quote_html(quote, addresses) for quote in quotes))  # escaped


# --- rows of the country page ------------------------------------------------------------------


def membership_table_rows(spells: Iterable, addresses: Addresses) -> SafeString:
    """``<tr>`` rows of a country's statuses on the page's date: the organization (on that
    date), the status with its notes and competing claims, since when, the marks."""
    return mark_safe(  # escaped
        "".join(
            f'<tr>\n<th scope="row"><a href="'
            f'{escape(addresses.organization(spell.organization, dated=True))}">'
            f"{escape(str(spell.organization))}</a></th>\n"
            f'<td><span class="swatch status-{escape(spell.status)}" aria-hidden="true"></span>'
            f"{escape(status_label(spell.status))}"
            f"{spell_notes_html(spell, check_certainty=True)}\n{competing_html(spell)}</td>\n"
            f"<td>{escape(spell.start_partial.display)}</td>\n"
            f"<td>{marks_html(getattr(spell, 'marks', ()))}\n</td>\n</tr>"
            for spell in spells
        )
    )


def history_table_rows(spells: Iterable, addresses: Addresses) -> SafeString:
    """``<tr>`` rows of every spell of a country: the organization, the status with its notes
    (a competing claim said to be one), the period, the marks."""
    competing = gettext("competing claim:")
    rows = []
    for spell in spells:
        deprecated = spell.rank == "deprecated"
        organization = spell.organization
        claim = (
            f' <span class="tag">{competing} {escape(spell.rank_reason)}</span>'
            if deprecated
            else ""
        )
        row_class = ' class="deprecated"' if deprecated else ""
        rows.append(
            f"<tr{row_class}>\n"
            f'<th scope="row"><a href="{escape(addresses.organization(organization))}">'
            f"{lang_marked(organization.localized_short_name)}</a></th>\n"
            f"<td>{escape(status_label(spell.status))}{spell_notes_html(spell)}\n{claim}</td>\n"
            f"<td>{escape(spell.period)}</td>\n"
            f"<td>{marks_html(getattr(spell, 'marks', ()))}\n</td>\n</tr>"
        )
    return mark_safe("".join(rows))  # escaped
