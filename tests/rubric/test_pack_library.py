"""A pack library holds its own extra packs: one caller's imports never leak into another's."""

from __future__ import annotations

import pytest
from starcoach.rubric.analyze import analyze
from starcoach.rubric.packs import PackLibrary, builtin_catalogue
from starcoach.rubric.text import estimate_words

from .test_user_packs import ANSWER, MY_PACK


def test_each_library_has_its_own_packs_and_the_bundled_ones_are_untouched(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text(MY_PACK, encoding="utf-8")
    mine, plain = PackLibrary([pack]), PackLibrary()
    assert "my-unowned-outage" in mine.catalogue().questions
    assert "my-unowned-outage" not in plain.catalogue().questions
    assert "my-unowned-outage" not in builtin_catalogue().questions
    assert mine.catalogue() is mine.catalogue()  # built once per set of packs
    assert plain.catalogue() is builtin_catalogue()  # no extra packs: the bundled catalogue
    report = analyze(estimate_words(ANSWER), question="my-unowned-outage",
                     catalogue=mine.catalogue())
    assert report.sections[0].target_s == 30

    broken = tmp_path / "broken.toml"
    broken.write_text(MY_PACK.replace('principle = "ownership"', "principle = 7"),
                      encoding="utf-8")
    assert mine.set_extra([broken]) == mine.problems() and len(mine.problems()) == 1
    assert "my-unowned-outage" not in mine.catalogue().questions


def test_whatever_is_given_no_catalogue_uses_the_bundled_packs_alone(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text(MY_PACK, encoding="utf-8")
    PackLibrary([pack]).catalogue()  # another caller's library changes nothing here
    assert builtin_catalogue() is builtin_catalogue()  # loaded once
    with pytest.raises(KeyError):
        analyze(estimate_words(ANSWER), question="my-unowned-outage")
