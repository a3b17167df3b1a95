"""The page in every language: the switcher's links, the ``hreflang`` alternates, ``<html lang>``.

English, the default, lives at the addresses without a prefix and Russian under /ru/
(eurasia/urls.py); a page's address in the other language keeps its query string, so a page
viewed ``?as_of=`` a day switches to the same day.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation

from eurasia.middleware import unprefixed_path

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str  # Django's code: en-gb, ru
    tag: str  # the BCP 47 tag for lang and hreflang: en-GB, ru
    hreflang: str  # en, ru
    name: str  # the language's name in itself: English, Русский
    url: str  # this page in that language, with its query string
    absolute_url: str
    current: bool


def language_tag(code: str) -> str:
    """``en-gb`` → ``en-GB``, as written in ``lang`` attributes."""
    return translation.to_locale(code).replace("_", "-")


def address_in(request, code: str) -> str:
    """The request's page in the language ``code``, query string included."""
    full_path = request.get_full_path()
    try:
        resolve(request.path_info)
    except Resolver404:
        # An address no view answers (a 404 page): its twin is the same address in the
        # other language's prefix.
        path, _, query = full_path.partition("?")
        path = unprefixed_path(path)
        if code != settings.LANGUAGE_CODE:
            path = f"/{code}{path}"
        return f"{path}?{query}" if query else path
    return translate_url(full_path, code)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """``{% language_links as languages %}``: one link per language, the current one marked;
    none for a page that is in one language only (the downloads, outside the prefixes)."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language() or settings.LANGUAGE_CODE
    urls = {code: address_in(request, code) for code, _name in settings.LANGUAGES}
    if len(set(urls.values())) < len(urls):
        return []
    links = []
    for code, name in settings.LANGUAGES:
        url = urls[code]
        links.append(
            LanguageLink(
                code=code,
                tag=language_tag(code),
                hreflang=code.split("-")[0],
                name=name,
                url=url,
                absolute_url=request.build_absolute_uri(url),
                current=code == current,
            )
        )
    return links


@register.simple_tag
def html_language() -> str:
    """The current language's tag for ``<html lang>``: en-GB, ru."""
    return language_tag(translation.get_language() or settings.LANGUAGE_CODE)
