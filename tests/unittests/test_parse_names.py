"""How names are matched and when two look alike, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from anchor.loading import parse


def normalised(*names: str) -> list[str]:
    return list(parse.normalise_names(pd.Series(names, dtype="str")))


def looks(*names: str) -> list[str]:
    return list(parse.look_alike_keys(pd.Series(names, dtype="str")))


def test_the_rules_kept_for_latin_names():
    assert normalised("The A.B. Smith & Co Ltd", "Smith and Co Limited", "ACME PLC",
                      "Acme LLP Ltd", "The", "The Ltd") == [
        "A B SMITH AND CO", "SMITH AND CO", "ACME", "ACME", "THE", "LTD"]


def test_accented_letters_are_kept_so_two_names_stay_two():
    assert normalised("Möller Ltd", "Müller Ltd", "Moller Ltd") == ["MÖLLER", "MÜLLER", "MOLLER"]


def test_names_in_other_scripts_are_kept_whole():
    greek, japanese, other_japanese = "Ελληνικά Τρόφιμα ΑΕ", "トヨタ株式会社", "日本食品株式会社"
    assert normalised(greek, japanese, other_japanese, "हिन्दी कंपनी") == [
        "ΕΛΛΗΝΙΚΆ ΤΡΌΦΙΜΑ ΑΕ", "トヨタ株式会社", "日本食品株式会社", "हिन्दी कंपनी"]


def test_unicode_forms_and_case_fold_to_one():
    # full-width letters (NFKC), a decomposed ö (o + U+0308), German ß folding to ss
    assert normalised("Ａｃｍｅ Ltd", "Mo\u0308ller", "Straße GmbH", "STRASSE GMBH") == [
        "ACME", "MÖLLER", "STRASSE GMBH", "STRASSE GMBH"]


@pytest.mark.parametrize("a, b", [
    ("Möller Ltd", "Moller Ltd"),  # an accent
    ("Acme Ltd", "\u0410cme Ltd"),  # a Cyrillic А
    ("Acme Ltd", "Acm\u0435 Ltd"),  # a Cyrillic е
    ("Acme Ltd", "ACME LTD"),  # case
    ("AB Smith Ltd", "A.B. Smith Ltd"),  # spacing and punctuation
])
def test_look_alikes_share_a_key(a, b):
    assert looks(a) == looks(b)


def test_different_names_do_not_look_alike():
    assert looks("Möller Ltd", "Müller Ltd", "トヨタ株式会社", "日本食品株式会社") == [
        "MOLLER", "MULLER", "トヨタ株式会社", "日本食品株式会社"]
