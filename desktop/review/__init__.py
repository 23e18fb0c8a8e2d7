"""The review screen for one answer's ``Report``: transcript, findings, timeline, metrics
(``review.screen.ReviewScreen``; nothing is imported here)."""
