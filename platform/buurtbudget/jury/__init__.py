"""The resident jury: rounds, sortition, ballots and the allocation rules that turn votes into grants."""
