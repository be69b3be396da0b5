"""Tables of deliberation: messages per initiative in a round, advice, minutes."""
