"""Similar initiatives across neighbourhoods by title, story, themes and cost lines; flags duplicates."""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from matching.errors import DuplicateId, InvalidValue, UnknownId
from matching.idtable import IdTable
from matching.initiative_columns import NO_AMOUNT, NO_YEAR, InitiativeColumns
from matching.lexicon import CONCEPT_LABELS_NL
from matching.maxscore import Shape, Unit, split, upper_bound
from matching.postings import FloatArray, IdArray, Postings
from matching.reasons import reason
from matching.rerank import top_by_bound, top_by_two_bounds
from matching.text import CONCEPT_PREFIX, Analyser, content_words, default_analyser, normalise
from matching.textfield import Expanded, FieldScores, Hit, Scratch, TextField
from matching.types import Area, InitiativeDoc, Match, Reason
from matching.validate import check_k, check_min_score, check_text

TITLE_WEIGHT = 0.45
STORY_WEIGHT = 0.25
COSTS_WEIGHT = 0.10
THEMES_WEIGHT = 0.20
FUZZ_FLOOR = 0.8
DUPLICATE_TITLE = 0.8
DEFAULT_MIN_SCORE = 0.1
DIRECT_DOCS = 60_000  # below this many postings every term produces candidates
SEED_DOCS = 16_000  # the seed reads the rarest terms up to this many postings
SEED_EXACT = 256
SKIP_SHARE = 1.0  # skipped terms may add at most this share of the floor
FEW_OF_CANDIDATES = 4  # a costly field holding under 1/4 of the candidates is scored on its own documents
_MARGIN = 1e-9
_THEMES = 3


@dataclass(frozen=True, slots=True)
class SimilarQuery:
    """What to compare with: a title (required), optional story, cost lines, themes and area."""

    title: str
    story: str = ""
    cost_lines: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    area: Area | None = None
    exclude_id: str | None = None
    elsewhere_only: bool = False


@dataclass(slots=True)
class _Prepared:
    title: list[Expanded]
    story: list[Expanded]
    costs: list[Expanded]
    themes: tuple[int, ...]
    theme_count: int
    text: str
    weights: tuple[float, float, float, float]
    query: SimilarQuery
    scores: tuple[FieldScores, FieldScores, FieldScores]
    theme_share: FloatArray


_THEME_KEYS: dict[str, frozenset[str]] = {}


def _theme_keys(analyser: Analyser, themes: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for theme in themes:
        found = _THEME_KEYS.get(theme)
        if found is None:
            label = " ".join(normalise(theme).split())
            found = frozenset({"t:" + label} | {CONCEPT_PREFIX + c for c in analyser.concepts_of(theme)})
            found = found if label else frozenset()
            if len(_THEME_KEYS) < 10_000:
                _THEME_KEYS[theme] = found
        keys |= found
    return keys


class InitiativeIndex:
    """Incremental index of initiatives answering 'who did something like this before?'."""

    def __init__(self, analyser: Analyser | None = None) -> None:
        self._analyser = analyser or default_analyser()
        self._ids = IdTable()
        self._title = TextField(self._analyser)
        self._story = TextField(self._analyser, store_text=False)
        self._costs = TextField(self._analyser, store_text=False)
        self._themes = Postings()
        self._sets: list[tuple[int, ...]] = []
        self._set_ids: dict[tuple[int, ...], int] = {}
        self._by_themes: dict[tuple[str, ...], int] = {}
        self._empty_set = self._theme_set(())
        self._titles: list[str] = []
        self._columns = InitiativeColumns()
        self._scratch = Scratch.empty()

    def __len__(self) -> int:
        return self._ids.live

    def __contains__(self, initiative_id: str) -> bool:
        return initiative_id in self._ids

    # -- changes ---------------------------------------------------------------------------------

    def add(self, doc: InitiativeDoc) -> None:
        """Index a new initiative (DuplicateId if it is already there)."""
        self.add_many([doc])

    def add_many(self, docs: Iterable[InitiativeDoc]) -> None:
        """Index new initiatives in one go (the bulk build path; DuplicateId/InvalidValue change nothing)."""
        batch = list(docs)
        ids: set[str] = set()
        for doc in batch:
            if not doc.title.strip():
                raise InvalidValue("title", "an initiative needs a title")
            if not doc.id:
                raise UnknownId("id", "ids must not be empty")
            if doc.id in self._ids or doc.id in ids:
                raise DuplicateId("id", f"{doc.id!r} is already indexed", doc.id)
            ids.add(doc.id)
        if not batch:
            return
        first = self._ids.size
        for doc in batch:
            self._ids.allocate(doc.id)
        self._title.add_many(first, [doc.title for doc in batch])
        self._story.add_many(first, [doc.story for doc in batch])
        self._costs.add_many(first, [" ; ".join(doc.cost_lines) for doc in batch])
        sets = [self._theme_set(doc.themes) for doc in batch]
        docs = np.repeat(
            np.arange(first, first + len(batch), dtype=np.int32), [len(self._sets[i]) for i in sets]
        )
        tids = np.array([t for i in sets for t in self._sets[i]], dtype=np.int32)
        self._themes.add_pairs(docs, tids)
        self._titles.extend(doc.title for doc in batch)
        self._columns.append(first, batch, sets)

    def _theme_set(self, themes: tuple[str, ...]) -> int:
        """The id of the set of theme keys these themes give (interned per distinct themes tuple)."""
        found = self._by_themes.get(themes)
        if found is not None:
            return found
        key = tuple(sorted({self._themes.intern(k) for k in _theme_keys(self._analyser, themes)}))
        found = self._set_ids.get(key)
        if found is None:
            found = len(self._sets)
            self._set_ids[key] = found
            self._sets.append(key)
        if len(self._by_themes) < 100_000:
            self._by_themes[themes] = found
        return found

    def remove(self, initiative_id: str) -> None:
        """Take an initiative out (UnknownId if it is not there)."""
        iid = self._ids.release(initiative_id)
        self._title.remove(iid)
        self._story.remove(iid)
        self._costs.remove(iid)
        self._themes.remove(self._sets[int(self._columns.theme_set[iid])])
        self._columns.theme_set[iid] = self._empty_set
        self._titles[iid] = ""

    def update(self, doc: InitiativeDoc) -> None:
        """Replace an initiative's indexed data (UnknownId if it is not there)."""
        self.remove(doc.id)
        self.add(doc)

    def upsert(self, doc: InitiativeDoc) -> None:
        """Add or replace."""
        if doc.id in self._ids:
            self.remove(doc.id)
        self.add(doc)

    # -- queries ---------------------------------------------------------------------------------

    def suggest(
        self, title: str, area: Area | None = None, k: int = 5, *, min_score: float = DEFAULT_MIN_SCORE
    ) -> list[Match]:
        """Suggestions while a resident types a title; warns about a likely duplicate in the area."""
        return self.search(SimilarQuery(title, area=area), k, min_score=min_score)

    def _prepare(self, query: SimilarQuery, *, exhaustive: bool) -> _Prepared:
        check_text("title", query.title)
        check_text("story", query.story, required=False)
        check_text("cost_lines", " ; ".join(query.cost_lines), required=False)
        n = self._ids.live
        a = self._analyser
        title = self._title.expand(a.query(query.title), n, exhaustive=exhaustive)
        story = self._story.expand(a.query(query.story), n, exhaustive=exhaustive)
        costs = self._costs.expand(a.query(" ; ".join(query.cost_lines)), n, exhaustive=exhaustive)
        keys = _theme_keys(a, query.themes)
        found = [self._themes.lookup(key) for key in sorted(keys)]
        themes = tuple(t for t in found if t is not None and self._themes.df(t) > 0)
        raw = (
            TITLE_WEIGHT,
            STORY_WEIGHT if story else 0.0,
            COSTS_WEIGHT if costs else 0.0,
            THEMES_WEIGHT if keys else 0.0,
        )
        total = sum(raw)
        weights = (raw[0] / total, raw[1] / total, raw[2] / total, raw[3] / total)
        text = " ".join(a.analyse(query.title).tokens)
        scores = (
            FieldScores(self._title, title),
            FieldScores(self._story, story),
            FieldScores(self._costs, costs),
        )
        wanted = set(themes)
        per_set = [sum(1 for t in s if t in wanted) for s in self._sets]
        share = np.array(per_set, dtype=np.float64) / len(keys) if keys else np.zeros(len(self._sets))
        return _Prepared(title, story, costs, themes, len(keys), text, weights, query, scores, share)

    def search(self, query: SimilarQuery, k: int = 5, *, min_score: float = DEFAULT_MIN_SCORE) -> list[Match]:
        """Top-k similar initiatives through the index (exact: pruning only skips what cannot win)."""
        check_k(k)
        check_min_score(min_score)
        prepared = self._prepare(query, exhaustive=False)
        return [self._explain(prepared, iid, score) for iid, score in self._ranked(prepared, k, min_score)]

    def _ranked(self, prepared: _Prepared, k: int, min_score: float) -> list[tuple[int, float]]:
        """MaxScore: a seed from the rarest terms sets a floor; terms whose joint bound stays below it
        produce no candidates (they still count in every exact score, read from the stored terms).
        """
        units, shapes = self._units(prepared)
        if not units:
            return []
        if sum(u.df for u in units) <= DIRECT_DOCS:
            cands, partial = self._partial(prepared, units, shapes)
            exact = self._exact
            return top_by_bound(
                cands,
                partial + _MARGIN,
                lambda ids, _: exact(prepared, ids),
                k,
                min_score=min_score,
                ext=self._ids.ext,
            )
        floor = self._floor(prepared, units, shapes, k, min_score)
        _, essential, _ = split(units, shapes, SKIP_SHARE * floor - _MARGIN)
        cands, partial = self._partial(prepared, essential, shapes)
        cheap = self._cheap(prepared)
        chosen = set(essential)
        skipped = upper_bound([u for u in units if u.field not in cheap and u not in chosen], shapes)
        bound = partial + (skipped + _MARGIN)
        return top_by_two_bounds(
            cands,
            bound,
            lambda ids: self._lexical(prepared, ids) + _MARGIN,
            lambda ids: self._exact(prepared, ids),
            k,
            min_score=min_score,
            ext=self._ids.ext,
        )

    def _floor(
        self, prepared: _Prepared, units: list[Unit], shapes: list[Shape], k: int, floor: float
    ) -> float:
        """A score k documents reach: the exact k-th best of the seed candidates that look best (the
        rarest terms' candidates, ranked by those terms plus the exact cheap fields).
        """
        seed = _seed(units)
        if len(seed) == len(units):
            return floor
        cands, partial = self._partial(prepared, seed, shapes)
        if len(cands) > SEED_EXACT:
            cands = cands[np.argpartition(-partial, SEED_EXACT - 1)[:SEED_EXACT]]
        scores = self._exact(prepared, cands)
        if len(scores) >= k:
            floor = max(floor, float(np.partition(scores, len(scores) - k)[len(scores) - k]))
        return floor

    def _cheap(self, prepared: _Prepared) -> set[int]:
        """Fields whose exact score of a document is a table look-up (themes always)."""
        return {f for f, scores in enumerate(prepared.scores) if scores.cheap} | {_THEMES}

    def _fields(self, prepared: _Prepared) -> list[tuple[TextField, list[Expanded], float]]:
        wt, ws, wc, _ = prepared.weights
        return [
            (self._title, prepared.title, wt),
            (self._story, prepared.story, ws),
            (self._costs, prepared.costs, wc),
        ]

    def _units(self, prepared: _Prepared) -> tuple[list[Unit], list[Shape]]:
        """The query's terms per field and group with their document counts, and how each field scores."""
        units: list[Unit] = []
        shapes: list[Shape] = []
        for f, (field, expanded, weight) in enumerate(self._fields(prepared)):
            shapes.append(Shape(weight, tuple(g.idf for g in expanded), TextField.query_norm(expanded)))
            for g, group in enumerate(expanded):
                units.extend(Unit(f, g, tid, w, field.postings.df(tid)) for tid, w in group.alternatives)
        themes = prepared.themes
        shapes.append(
            Shape(prepared.weights[3], (1.0,) * len(themes), float(prepared.theme_count), counting=True)
        )
        units.extend(Unit(_THEMES, g, tid, 1.0, self._themes.df(tid)) for g, tid in enumerate(themes))
        return units, shapes

    def _partial(
        self, prepared: _Prepared, units: list[Unit], shapes: list[Shape]
    ) -> tuple[IdArray, FloatArray]:
        """Live candidates holding any of these units, with what these units add to their score in the
        costly fields plus the exact score of the cheap fields (a table look-up per document).
        """
        alive = self._ids.alive
        scratch = self._scratch
        scratch.ensure(self._ids.size)
        cheap = self._cheap(prepared)
        fields = self._fields(prepared)
        chosen = {(u.field, u.group, u.tid) for u in units}
        parts = [
            [
                Expanded(e.label, e.idf, tuple(a for a in e.alternatives if (f, g, a[0]) in chosen))
                for g, e in enumerate(expanded)
            ]
            for f, (_, expanded, _) in enumerate(fields)
        ]
        per_field = [
            [field.postings.docs(tid, alive) for e in part for tid, _ in e.alternatives]
            for (field, _, _), part in zip(fields, parts, strict=True)
        ]
        lists = [docs for found in per_field for docs in found]
        lists.extend(self._themes.docs(u.tid, alive) for u in units if u.field == _THEMES)
        if not lists:
            return np.empty(0, dtype=np.int32), np.empty(0)
        cands = _unique(lists, scratch)
        values = self._costly(parts, per_field, cands, cheap, fields)
        keep = alive[cands]
        query = prepared.query
        if query.exclude_id is not None:
            own = self._ids.get(query.exclude_id)
            if own is not None:
                keep &= cands != own
        if query.elsewhere_only and query.area is not None:
            own_nb = self._columns.neighbourhood_id(query.area.municipality, query.area.neighbourhood)
            if own_nb is not None:
                keep &= self._columns.nb[cands] != own_nb
        cands, values = cands[keep], values[keep]
        for f, (_, _, weight) in enumerate(fields):
            if f in cheap and weight:
                values += weight * prepared.scores[f].of(cands)
        if prepared.weights[_THEMES]:
            values += prepared.weights[_THEMES] * prepared.theme_share[self._columns.theme_set[cands]]
        return cands, values

    def _costly(
        self,
        parts: list[list[Expanded]],
        per_field: list[list[IdArray]],
        cands: IdArray,
        cheap: set[int],
        fields: list[tuple[TextField, list[Expanded], float]],
    ) -> FloatArray:
        """What the costly fields' terms in `parts` add to the candidates' scores (their postings are
        `per_field`). A field whose postings hold few of the candidates is scored on its own documents
        and summed in scratch.total, instead of reading every candidate.
        """
        scratch = self._scratch
        values = np.zeros(len(cands))
        total = scratch.total
        summed = False
        for f, ((field, _, weight), part) in enumerate(zip(fields, parts, strict=True)):
            if f in cheap or not per_field[f]:
                continue
            field.accumulate(part, self._ids.alive, scratch)
            if sum(len(docs) for docs in per_field[f]) * FEW_OF_CANDIDATES < len(cands):
                touched = _unique(per_field[f], scratch)
                total[touched] += weight * field.lexical_many(part, touched, scratch)
                summed = True
            else:
                values += weight * field.lexical_many(part, cands, scratch)
        if summed:
            values += total[cands]
            total[cands] = 0.0
        return values

    def _lexical(self, prepared: _Prepared, ids: IdArray) -> FloatArray:
        """The score without the title's spelling factor (at most 1): a bound from the stored terms."""
        wt, ws, wc, wth = prepared.weights
        title, story, costs, themes = self._parts_of(prepared, ids)
        bound: FloatArray = wt * title + ws * story + wc * costs + wth * themes
        return bound

    def _exact(self, prepared: _Prepared, ids: IdArray) -> FloatArray:
        """Exact scores from the stored terms and titles (same arithmetic as _score_one)."""
        wt, ws, wc, wth = prepared.weights
        title, story, costs, themes = self._parts_of(prepared, ids)
        choices = [self._title.texts[i] for i in ids.tolist()]
        ratios = process.cdist([prepared.text], choices, scorer=fuzz.token_set_ratio, dtype=np.float64)[0]
        factor = FUZZ_FLOOR + (1.0 - FUZZ_FLOOR) * ratios / 100.0
        scored: FloatArray = wt * title * factor + ws * story + wc * costs
        return scored + wth * themes

    def _parts_of(
        self, prepared: _Prepared, ids: IdArray
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Lexical title, story and cost scores and the theme share of some documents."""
        title, story, costs = (scores.of(ids) for scores in prepared.scores)
        themes = prepared.theme_share[self._columns.theme_set[ids]]
        return title, story, costs, themes

    def scan(
        self,
        query: SimilarQuery,
        k: int = 5,
        *,
        min_score: float = DEFAULT_MIN_SCORE,
        only: Iterable[str] | None = None,
    ) -> list[Match]:
        """Baseline: score every (or only the given) initiative one by one, full-vocabulary typo search."""
        check_k(k)
        check_min_score(min_score)
        prepared = self._prepare(query, exhaustive=True)
        if only is None:
            iids = [int(i) for i in self._ids.live_ids()]
        else:
            iids = [i for i in (self._ids.get(e) for e in only) if i is not None]
        scored: list[tuple[float, str, int]] = []
        for iid in iids:
            if self._excluded(prepared.query, iid):
                continue
            score = self._score_one(prepared, iid)[0]
            if score > 0.0 and score >= min_score:
                scored.append((-score, self._ids.ext(iid), iid))
        scored.sort()
        return [self._explain(prepared, iid, -neg) for neg, _, iid in scored[:k]]

    def _excluded(self, query: SimilarQuery, iid: int) -> bool:
        if query.exclude_id is not None and self._ids.get(query.exclude_id) == iid:
            return True
        if query.elsewhere_only and query.area is not None:
            own_nb = self._columns.neighbourhood_id(query.area.municipality, query.area.neighbourhood)
            return own_nb is not None and int(self._columns.nb[iid]) == own_nb
        return False

    def _score_one(
        self, prepared: _Prepared, iid: int
    ) -> tuple[float, float, list[Hit | None], list[Hit | None], list[Hit | None], list[str]]:
        """Reference score of one document, with what matched (same arithmetic as search)."""
        wt, ws, wc, wth = prepared.weights
        title, title_hits = self._title.lexical_one(prepared.title, iid)
        story, story_hits = self._story.lexical_one(prepared.story, iid)
        costs, cost_hits = self._costs.lexical_one(prepared.costs, iid)
        own = self._sets[int(self._columns.theme_set[iid])]
        shared = [t for t in prepared.themes if t in own]
        themes = len(shared) / prepared.theme_count if prepared.theme_count else 0.0
        if title == 0.0 and story == 0.0 and costs == 0.0 and themes == 0.0:
            return 0.0, 0.0, title_hits, story_hits, cost_hits, []
        ratio = fuzz.token_set_ratio(prepared.text, self._title.texts[iid])
        factor = FUZZ_FLOOR + (1.0 - FUZZ_FLOOR) * ratio / 100.0
        title_part = title * factor
        score = wt * title * factor + ws * story + wc * costs + wth * themes
        names = [self._themes.term(t) for t in shared]
        return score, title_part, title_hits, story_hits, cost_hits, names

    def _explain(self, prepared: _Prepared, iid: int, score: float) -> Match:  # noqa: PLR0912
        _, title_part, title_hits, story_hits, cost_hits, themes = self._score_one(prepared, iid)
        reasons: list[Reason] = []
        columns = self._columns
        nb = columns.places.value(int(columns.nb[iid])).split("/", 1)[1]
        status = columns.statuses.value(int(columns.status[iid]))
        details: dict[str, str | int] = {"title": self._titles[iid], "neighbourhood": nb, "status": status}
        if columns.year[iid] != NO_YEAR:
            details["year"] = int(columns.year[iid])
        if columns.granted[iid] != NO_AMOUNT:
            details["granted_cents"] = int(columns.granted[iid])
        reasons.append(reason("similar_title", **details))
        text = self._title.texts[iid]
        about: list[str] = []  # what the title is about, in the document's own whole words or a theme
        related: dict[tuple[str, str], list[str]] = {}  # (document word, theme) -> the words asked
        for hit in title_hits:
            if hit is None:
                continue
            asked = self._asked_word(hit.label, prepared.query.title)
            if hit.term.startswith(CONCEPT_PREFIX):
                concept = hit.term.removeprefix(CONCEPT_PREFIX)
                theme = CONCEPT_LABELS_NL.get(concept, concept)
                about.append(theme)
                related.setdefault((self._concept_word(hit.term, text), theme), []).append(asked)
            else:
                found = self._doc_word(hit.term, text)
                about.append(found)
                if hit.weight < 1.0:
                    reasons.append(reason("matched_word", found=found, asked=asked))
        for (found, theme), asked_words in related.items():
            asked = _listed(list(dict.fromkeys(asked_words)))
            reasons.append(reason("related_word", found=found, asked=asked, theme=theme))
        if about:
            reasons.insert(1, reason("shared_words", words=_listed(list(dict.fromkeys(about)))))
        story_words = [h.label for h in story_hits if h is not None]
        if story_words:
            reasons.append(reason("similar_story", words=", ".join(dict.fromkeys(story_words))))
        cost_words = [h.label for h in cost_hits if h is not None]
        if cost_words:
            reasons.append(reason("similar_costs", words=", ".join(dict.fromkeys(cost_words))))
        labels = [t[2:] for t in themes if t.startswith("t:")] or [t[1:] for t in themes]
        if labels:
            reasons.append(reason("shared_themes", themes=", ".join(labels)))
        duplicate = False
        area = prepared.query.area
        if area is not None and title_part >= DUPLICATE_TITLE:
            duplicate = columns.nb[iid] == columns.neighbourhood_id(area.municipality, area.neighbourhood)
            if duplicate:
                reasons.append(reason("likely_duplicate", neighbourhood=nb))
        if columns.consent[iid]:
            reasons.append(reason("contact_possible"))
        return Match(self._ids.ext(iid), min(1.0, max(0.0, float(score))), tuple(reasons), bool(duplicate))

    def _doc_word(self, term: str, text: str) -> str:
        """The whole word of a document text that holds an index term (a stem or a compound part)."""
        for word in text.split():
            if term in self._analyser.token(word).terms:
                return word
        return term

    def _asked_word(self, label: str, query: str) -> str:
        """The whole word the resident typed that a query group (a word or a compound part) came from."""
        for word in content_words(query):
            info = self._analyser.token(word)
            if label in (info.surface, info.stem) or label in info.part_labels:
                return word
        return label

    def _concept_word(self, concept_term: str, text: str) -> str:
        """The word of a document text that expresses a concept (for the reason)."""
        concept = concept_term.removeprefix(CONCEPT_PREFIX)
        for word in text.split():
            if concept in self._analyser.token(word).concepts:
                return word
        return concept


def _listed(words: list[str]) -> str:
    """Words as Dutch lists them: "a", "a en b", "a, b en c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def _unique(parts: list[IdArray], scratch: Scratch) -> IdArray:
    """Distinct ids of several arrays, sorted."""
    joined = np.concatenate(parts) if len(parts) > 1 else parts[0]
    if len(joined) * 16 < len(scratch.mark):
        ordered = np.sort(joined)
        if len(ordered) == 0:
            return ordered.astype(np.int32)
        fresh = np.empty(len(ordered), dtype=np.bool_)
        fresh[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=fresh[1:])
        return ordered[fresh].astype(np.int32)
    mark = scratch.mark
    mark[joined] = True
    ids = np.flatnonzero(mark).astype(np.int32)
    mark[ids] = False
    return ids


def _seed(units: list[Unit]) -> list[Unit]:
    """The rarest units, until they reach SEED_DOCS documents."""
    chosen: list[Unit] = []
    total = 0
    for unit in sorted(units, key=lambda u: (u.df, u.field, u.group, u.tid)):
        if total >= SEED_DOCS:
            break
        chosen.append(unit)
        total += unit.df
    return chosen
