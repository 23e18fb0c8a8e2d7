"""Rule detectors, one module per concern; importing this package registers them all."""

from starcoach.rubric.rules import (
    delivery,
    handoff,
    impact,
    lens,
    ownership,
    reflection,
    timing,
)
from starcoach.rubric.rules.base import DETECTORS, Context, Hit

__all__ = ["DETECTORS", "Context", "Hit", "delivery", "handoff", "impact", "lens", "ownership",
           "reflection", "timing"]
