"""Each module stays small enough to read in one sitting (issue 14: none over 400 lines)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 400


def test_no_app_module_is_over_400_lines():
    sources = [p for pkg in ("rubric", "speech", "desktop") for p in (ROOT / pkg).rglob("*.py")]
    assert len(sources) > 50  # the packages were found
    long = {str(p.relative_to(ROOT)): n for p in sources
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT}
    assert long == {}, f"split these modules (over {LIMIT} lines): {long}"
