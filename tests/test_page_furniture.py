"""Site furniture that suits some pages and not others."""

from __future__ import annotations

from site_builds import site


def test_the_decision_aid_has_no_previous_next_footer():
    """The wizard is a tool, not a chapter: no "Next: Calderdale" under it."""
    assert "md-footer__link" not in (site("real") / "next" / "index.html").read_text(encoding="utf-8")


def test_protocol_pages_keep_their_previous_next_footer():
    """The footer is hidden on the wizard only, not switched off for the whole site."""
    assert "md-footer__link--prev" in (site("real") / "calderdale" / "index.html").read_text(encoding="utf-8")
