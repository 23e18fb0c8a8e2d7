"""Rule detectors, one module per concern; importing this package registers them all."""

from starcoach.rubric.rules import delivery, impact, lens, ownership, reflection, timing
from starcoach.rubric.rules.base import DETECTORS, Context, Hit

__all__ = ["DETECTORS", "Context", "Hit", "delivery", "impact", "lens", "ownership",
           "reflection", "timing"]
