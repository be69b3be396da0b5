"""Open volunteer needs by skill, so a volunteer is shown the initiatives where they can help."""

from dataclasses import replace

from matching.catalogue import Catalogues, default_catalogues
from matching.errors import DuplicateId, UnknownId
from matching.types import Geography, Match, VolunteerNeed, VolunteerProfile
from matching.validate import check_k
from matching.volunteer_score import CompiledNeed, compile_need, compile_volunteer, explain, score_parts


class NeedIndex:
    """Incremental index of open needs keyed by the skills (and skill families) they ask for."""

    def __init__(self, geography: Geography | None = None, catalogues: Catalogues | None = None) -> None:
        self.geography = geography or Geography()
        self.catalogues = catalogues or default_catalogues()
        self._needs: dict[str, CompiledNeed] = {}
        self._by_family: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._needs)

    def add(self, need: VolunteerNeed) -> None:
        """Index an open need (one per initiative)."""
        if need.initiative_id in self._needs:
            raise DuplicateId(
                "initiative_id", f"{need.initiative_id!r} is already indexed", need.initiative_id
            )
        compiled = compile_need(need, self.catalogues, self.geography)
        self._needs[need.initiative_id] = compiled
        for skill in compiled.skills:
            self._by_family.setdefault(self.catalogues.skills.family(skill), set()).add(need.initiative_id)

    def remove(self, initiative_id: str) -> None:
        """Forget a need (filled or withdrawn)."""
        compiled = self._needs.pop(initiative_id, None)
        if compiled is None:
            raise UnknownId("initiative_id", f"{initiative_id!r} is not indexed", initiative_id)
        for skill in compiled.skills:
            self._by_family[self.catalogues.skills.family(skill)].discard(initiative_id)

    def update(self, need: VolunteerNeed) -> None:
        """Replace a need (validated first, so bad input changes nothing)."""
        compile_need(need, self.catalogues, self.geography)
        self.remove(need.initiative_id)
        self.add(need)

    def for_volunteer(self, profile: VolunteerProfile, k: int = 10) -> list[Match]:
        """The needs this volunteer fits best; Match.id is the initiative id."""
        check_k(k)
        vol = compile_volunteer(profile, self.catalogues)
        ids: set[str] = set()
        for skill in vol.skills:
            ids |= self._by_family.get(self.catalogues.skills.family(skill), set())
        found: list[tuple[float, str]] = []
        for initiative_id in ids:
            parts = score_parts(self._needs[initiative_id], vol)
            if parts is not None:
                found.append((-parts.score, initiative_id))
        found.sort()
        return [replace(explain(self._needs[i], vol, self.catalogues, -neg), id=i) for neg, i in found[:k]]
