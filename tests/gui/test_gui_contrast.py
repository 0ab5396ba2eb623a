"""Issue 13 item 7 (SPEC v2 §11): every foreground/background pair the themes define
reaches WCAG AA — text 4.5:1, UI parts (tracks, primary buttons, switches) 3:1."""

from __future__ import annotations

import pytest

from momentum_app.gui.theme import (
    ALL_TOKENS,
    CONTRAST_PAIRS,
    LIGHT,
    contrast_ratio,
    contrast_table,
    with_accent,
)


def test_the_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)


@pytest.mark.parametrize("tokens", ALL_TOKENS, ids=lambda t: f"{t.variant}-{t.name}")
def test_every_pair_of_every_theme_is_readable(tokens):
    failing = [(fg, bg, what, round(ratio, 2), minimum)
               for fg, bg, what, ratio, minimum in contrast_table(tokens) if ratio < minimum]
    assert failing == []


def test_the_pairs_cover_the_issues_measurements():
    pairs = {(fg, bg) for fg, bg, _minimum, _what in CONTRAST_PAIRS}
    assert {("text_faint", "surface"), ("accent_text", "accent"), ("meter", "surface"),
            ("success", "surface")} <= pairs


def test_the_style_sheet_draws_progress_tracks_with_the_meter_colour():
    from momentum_app.gui.theme import style_sheet

    sheet = style_sheet(LIGHT)
    assert f"QProgressBar {{ background: {LIGHT.meter}" in sheet


def test_a_custom_accent_gets_the_label_colour_that_reads_best():
    for accent in ("#FFD400", "#0B3D91", "#22AA55", "#FF8800"):
        tokens = with_accent(LIGHT, accent)
        other = "#1B1E28" if tokens.accent_text == "#FFFFFF" else "#FFFFFF"
        assert contrast_ratio(tokens.accent_text, tokens.accent) >= \
            contrast_ratio(other, tokens.accent)


@pytest.mark.parametrize("tokens", ALL_TOKENS, ids=lambda t: f"{t.variant}-{t.name}")
def test_complexity_dots_stay_visible_in_every_theme(tokens):
    from momentum_app.gui.widgets.delegates import complexity_dot_roles

    for muted in (False, True):
        for role in complexity_dot_roles(muted):
            for background in ("surface", "accent_soft"):
                assert contrast_ratio(getattr(tokens, role), getattr(tokens, background)) >= 3.0
