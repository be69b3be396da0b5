"""Errors of similar-initiative queries and of contacting initiators elsewhere."""

from buurtbudget.errors import Conflict, InvalidInput, NotAllowed


class EmptySimilarQuery(InvalidInput):
    """The text has no words to search for: it is empty, or only stop words and punctuation."""

    code = "empty_similar_query"


class AbsurdSimilarQuery(InvalidInput):
    """The text is far too long to be a title or a story, or asks for too many results."""

    code = "absurd_similar_query"


class NoContactConsent(NotAllowed):
    """The initiators of this initiative did not say they may be contacted."""

    code = "no_contact_consent"


class OwnInitiative(NotAllowed):
    """Someone tries to contact their own initiative."""

    code = "own_initiative"


class TooManyContactMessages(Conflict):
    """A person sent the most contact messages allowed in one day."""

    code = "too_many_contact_messages"
