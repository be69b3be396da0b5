"""A round's minimum support as a rule input: projects below it are out before the rule runs."""

from buurtbudget.jury.allocation.model import Election


def with_min_support(election: Election, minimum: int) -> Election:
    """The election without the projects whose support is below `minimum`, and without the ballots' marks
    on them (every ballot stays: a voter who chose none of the rest still counts, e.g. for MES's equal
    shares). `buurtbudget allocate` applies the same to an export whose META names a min_support."""
    kept = tuple(p for p in election.projects if election.support[p.id] >= minimum)
    ids = {p.id for p in kept}
    return Election(
        budget=election.budget,
        projects=kept,
        ballots=tuple(
            ballot._replace(
                approved=ballot.approved & ids,
                points=None
                if ballot.points is None
                else {k: v for k, v in ballot.points.items() if k in ids},
            )
            for ballot in election.ballots
        ),
        vote_type=election.vote_type,
        meta=election.meta,
    )
