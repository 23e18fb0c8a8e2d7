"""Transcript in, report out: STAR segmentation, section timing, rules and scores.

Qt-free and light to import: only the standard library and numpy.
"""

from starcoach.rubric.model import Finding, Report, Section, Word

__all__ = ["Finding", "Report", "Section", "Word"]
