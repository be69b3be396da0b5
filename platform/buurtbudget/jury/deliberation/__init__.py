"""Deliberation of a round: discussion per initiative, advice of professionals, minutes of the meeting."""
