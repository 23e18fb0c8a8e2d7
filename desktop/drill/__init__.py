"""Interviewer follow-up drills after a main answer (``drill.screen.DrillScreen``; nothing is
imported here)."""
