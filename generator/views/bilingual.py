"""A spec's text in the reader's language: the partnership's own Welsh where it published some, else its
English, marked `lang="en"` and followed by a line in Welsh saying that part was not published in Welsh.

Protocol text is never translated by us: this only chooses between the words the partnership printed.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..core import messages, model


def text_html(protocol: model.Protocol, field_path: str, english: str, language: str) -> Markup:
    """One text field as HTML for a page in `language` (escaped: spec text is always text)."""
    if language == "en":
        return Markup(escape(english))
    published = protocol.published_in(field_path, language)
    if published is not None:
        return Markup(escape(published))
    return Markup('<span lang="en">{}</span> <small class="eg-not-published" lang="{}">{}</small>').format(
        english, language, messages.t("cy.not_published", language))


def welsh_pages(protocol: model.Protocol) -> bool:
    """Whether a protocol gets pages in Welsh: every Welsh partnership, and any spec that supplies Welsh text."""
    return protocol.partnership.nation == "wales" or bool(protocol.cy)
