"""Checks on queries shared by all indexes: result counts and searchable text."""

from matching.errors import AbsurdQuery, EmptyQuery
from matching.text import content_words

MAX_RESULTS = 1000
MAX_QUERY_CHARS = 2000
MAX_QUERY_WORDS = 200


def check_k(k: int) -> None:
    """Reject result counts outside 1..MAX_RESULTS."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_RESULTS:
        raise AbsurdQuery("k", f"ask for 1 to {MAX_RESULTS} results", k)


def check_min_score(min_score: float) -> None:
    """Reject a minimum score outside [0, 1]."""
    if not 0.0 <= min_score <= 1.0:
        raise AbsurdQuery("min_score", "the minimum score must be between 0 and 1", min_score)


def check_text(field: str, text: str, *, required: bool = True) -> None:
    """Reject empty (no searchable words) and absurdly long query texts."""
    if len(text) > MAX_QUERY_CHARS:
        raise AbsurdQuery(field, f"at most {MAX_QUERY_CHARS} characters", len(text))
    found = content_words(text)
    if len(found) > MAX_QUERY_WORDS:
        raise AbsurdQuery(field, f"at most {MAX_QUERY_WORDS} words", len(found))
    if required and not found:
        raise EmptyQuery(field, "the text has no searchable words", text)
