"""Interviewer follow-up drills after a main answer."""
