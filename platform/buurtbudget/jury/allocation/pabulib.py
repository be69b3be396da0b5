"""Read and write Pabulib (.pb) files; every error names the section and the line."""

import csv
import io
import re
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from buurtbudget.jury.allocation.errors import PabulibError
from buurtbudget.jury.allocation.model import VOTE_TYPES, Ballot, Election, Project

if TYPE_CHECKING:
    from buurtbudget.jury.allocation.votes import ApprovalBallots

SECTIONS = ("meta", "projects", "votes")
_POINT_TYPES = ("cumulative", "scoring")
# From this many vote lines on, plain approval votes are kept as text (ApprovalBallots).
PLAIN_VOTES_MIN_LINES = 1000
# A line (after a line break) whose first cell may name a section; false alarms only cost the quick path.
_SECTION_LINE = re.compile(r"\n\s*(?:meta|projects|votes)\s*(?:;|$)", re.IGNORECASE | re.MULTILINE)


def _amount(text: str, *, what: str, line: int, section: str) -> Fraction:
    try:
        value = Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise PabulibError(f"{what} {text.strip()!r} is not a number", line=line, section=section) from None
    if value < 0:
        raise PabulibError(f"{what} {text.strip()!r} is negative", line=line, section=section)
    return value


def _cells(row: list[str], header: list[str]) -> dict[str, str]:
    return {
        key: value.strip() for key, value in zip(header, row, strict=False) if value.strip().lower() != "none"
    }


class _Reader:
    """State of one pass over a file: the current section, its header and what was read so far."""

    def __init__(self) -> None:
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.projects: dict[str, Project] = {}
        self.ballots: list[Ballot] = []
        self.seen: set[str] = set()
        self.section: str | None = None
        self.header: list[str] = []
        self.known: frozenset[str] = frozenset()
        self.vote_at = self.voter_at = self.points_at = -1
        self.vote_kind = ""
        self.plain: ApprovalBallots | None = None

    def start(self, name: str, header: list[str] | None, line: int) -> None:
        if name in self.seen:
            raise PabulibError(f"section {name.upper()} appears twice", line=line, section=name)
        if name == "votes" and "projects" not in self.seen:
            raise PabulibError("VOTES comes before PROJECTS", line=line, section=name)
        if header is None:
            raise PabulibError(f"section {name.upper()} has no header line", line=line, section=name)
        self.seen.add(name)
        self.meta_lines.setdefault(f"[{name}]", line)
        self.section = name
        self.header = [h.strip().lower() for h in header]
        required = {"projects": ("project_id", "cost"), "votes": ("vote",)}.get(name, ())
        missing = [col for col in required if col not in self.header]
        if missing:
            raise PabulibError(
                f"header lacks the column(s) {', '.join(missing)}", line=line + 1, section=name
            )
        if name == "votes":
            self._check_vote_type(line)
            self.known = frozenset(self.projects)
            self.vote_at = self.header.index("vote")
            self.voter_at = self.header.index("voter_id") if "voter_id" in self.header else -1
            self.points_at = self.header.index("points") if "points" in self.header else -1
            vote_type = self.meta.get("vote_type", "approval")
            self.vote_kind = "approval" if vote_type in ("approval", "choose-1") else vote_type

    def _check_vote_type(self, line: int) -> None:
        vote_type = self.meta.get("vote_type", "approval")
        if vote_type not in VOTE_TYPES:
            at = self.meta_lines.get("vote_type", line)
            raise PabulibError(f"vote_type {vote_type!r} is not supported", line=at, section="meta")
        if vote_type in _POINT_TYPES and "points" not in self.header:
            raise PabulibError(f"{vote_type} votes need a 'points' column", line=line + 1, section="votes")

    def row(self, row: list[str], line: int) -> None:
        if self.section is None:
            raise PabulibError(
                "data before the first section (META, PROJECTS or VOTES)", line=line, section=None
            )
        if self.section == "meta":
            if len(row) < 2:
                raise PabulibError("a META line needs 'key;value'", line=line, section="meta")
            self.meta[row[0].strip()] = row[1].strip()
            self.meta_lines[row[0].strip()] = line
        elif self.section == "projects":
            self._project(_cells(row, self.header), line)
        else:
            self._ballot(row, line)

    def _project(self, cells: dict[str, str], line: int) -> None:
        pid = cells.get("project_id", "")
        if not pid:
            raise PabulibError("project without a project_id", line=line, section="projects")
        if pid in self.projects:
            raise PabulibError(f"project {pid!r} is listed twice", line=line, section="projects")
        if "cost" not in cells:
            raise PabulibError(f"project {pid!r} has no cost", line=line, section="projects")
        cost = _amount(cells["cost"], what="cost", line=line, section="projects")
        raw = cells.get("category", cells.get("categories", ""))
        categories = frozenset(c.strip() for c in raw.split(",") if c.strip())
        self.projects[pid] = Project(pid, cost, cells.get("name", ""), categories)

    def _ids(self, text: str, line: int) -> list[str]:
        ids = text.split(",") if text else []
        if self.known.issuperset(ids):
            return ids
        ids = [t.strip() for t in ids if t.strip() and t.strip().lower() != "none"]
        for pid in ids:
            if pid not in self.known:
                raise PabulibError(f"vote for unknown project {pid!r}", line=line, section="votes")
        return ids

    def _cell(self, row: list[str], index: int) -> str:
        if index < 0 or index >= len(row):
            return ""
        value = row[index].strip()
        return "" if value.lower() == "none" else value

    def approval_row(self, row: list[str]) -> bool:
        """Add a plain approval ballot the quick way; False when ``row`` needs the general path.

        Taken only when the general path would read the row the same way: the votes are known project
        ids without blanks and the row is not a section header.
        """
        if self.section != "votes" or self.vote_kind != "approval" or len(row) <= self.vote_at:
            return False
        text = row[self.vote_at]
        ids = text.split(",")
        if not text or not self.known.issuperset(ids) or row[0].strip().lower() in SECTIONS:
            return False
        voter = row[self.voter_at].strip() if 0 <= self.voter_at < len(row) else ""
        self.ballots.append(Ballot(frozenset(ids), None, "" if voter.lower() == "none" else voter))
        return True

    def plain_votes(
        self, text: str, at: int, lines: tuple[int, int], encoded: bytes | None = None
    ) -> int | None:
        """Read the rest of ``text`` from ``at``, the lines after the VOTES header, the quick way: the
        number of the last line, or ``None`` (nothing read) when the general path must read them.
        ``lines``: the numbers of the VOTES line and of its header; ``encoded``: ``text`` in UTF-8.

        Taken only when the general path would read every line the same way and without error: plain
        approval votes of known project ids, no quotes, no other section, many lines.
        """
        if self.vote_kind != "approval":
            return None
        data = encoded if encoded is not None else text.encode()
        start = len(text[:at].encode())
        # scans of the bytes (memchr) are many times quicker than of the decoded text
        if data.count(b"\n", start) < PLAIN_VOTES_MIN_LINES or data.find(b'"', start) >= 0:
            return None
        if data.find(b"\x00", start) >= 0:
            return None
        carriage_returns = data.count(b"\r", start)
        if carriage_returns and carriage_returns != data.count(b"\r\n", start):
            return None
        from buurtbudget.jury.allocation.votes import read_plain_votes  # noqa: PLC0415  (numpy, large votes only)

        columns = (self.vote_at, self.voter_at)
        found = read_plain_votes(
            data,
            start,
            columns,
            tuple(self.projects),
            crlf=carriage_returns > 0,
            section_line=lambda: _SECTION_LINE.search(text, at - 1) is not None,
        )
        if found is None:
            return None
        self.plain, count = found
        section_line, header_line = lines
        return header_line + count if count else section_line

    def _ballot(self, row: list[str], line: int) -> None:
        vote_type = self.meta.get("vote_type", "approval")
        ids = self._ids(self._cell(row, self.vote_at), line)
        voter = self._cell(row, self.voter_at)
        if vote_type in _POINT_TYPES:
            raw = [t for t in self._cell(row, self.points_at).split(",") if t.strip()]
            if len(raw) != len(ids):
                raise PabulibError(
                    f"{len(ids)} project(s) but {len(raw)} point value(s)", line=line, section="votes"
                )
            points: dict[str, Fraction] = {}
            for pid, text in zip(ids, raw, strict=True):
                points[pid] = points.get(pid, Fraction(0)) + _amount(
                    text, what="points", line=line, section="votes"
                )
            approved = frozenset(pid for pid, pts in points.items() if pts > 0)
            self.ballots.append(Ballot(approved, MappingProxyType(points), voter))
        elif vote_type == "ordinal":
            self.ballots.append(Ballot(frozenset(ids), None, voter, tuple(dict.fromkeys(ids))))
        else:
            self.ballots.append(Ballot(frozenset(ids), None, voter))

    def election(self, last_line: int) -> Election:
        for name in SECTIONS:
            if name not in self.seen:
                raise PabulibError(f"section {name.upper()} is missing", line=last_line, section=None)
        if "budget" not in self.meta:
            raise PabulibError("META lacks the budget", line=self.meta_lines["[meta]"], section="meta")
        budget = _amount(self.meta["budget"], what="budget", line=self.meta_lines["budget"], section="meta")
        return Election(
            budget=budget,
            projects=tuple(self.projects.values()),
            ballots=self.plain if self.plain is not None else tuple(self.ballots),
            vote_type=self.meta.get("vote_type", "approval"),
            meta=MappingProxyType(dict(self.meta)),
        )


class _Lines:
    """The lines of a text for the csv reader (split at line feeds, as ``io.StringIO`` splits them),
    remembering where the next line starts: the rest of the text can be read another way."""

    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        start = self.at
        if start >= len(self.text):
            raise StopIteration
        end = self.text.find("\n", start) + 1 or len(self.text)
        self.at = end
        return self.text[start:end]


def _rows(lines: _Lines, before: int = 0) -> Iterator[tuple[int, list[str]]]:
    """The csv rows of ``lines`` with their line numbers (``before`` lines came before them)."""
    reader = csv.reader(lines, delimiter=";")
    try:
        for row in reader:
            yield before + reader.line_num, row
    except csv.Error as exc:
        raise PabulibError(f"malformed line: {exc}", line=before + reader.line_num, section=None) from None


def _read(reader: _Reader, lines: _Lines, before: int = 0, encoded: bytes | None = None) -> int:
    """Feed the rows of ``lines`` to ``reader``; the number of the last line read. The votes of an
    approval vote may be read the quick way once their header is read (``encoded``: the text in UTF-8,
    when the caller has it)."""
    line = 0
    rows = _rows(lines, before)
    for line, row in rows:
        if reader.approval_row(row):
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        name = row[0].strip().lower()
        if name in SECTIONS and len([c for c in row if c.strip()]) == 1:
            header = next(rows, None)
            reader.start(name, None if header is None else header[1], line)
            if header is not None and name == "votes" and not before:
                # the csv reader has read up to the header's line, no further
                last = reader.plain_votes(lines.text, lines.at, (line, header[0]), encoded)
                if last is not None:
                    return last
                return max(line, _read(reader, lines, header[0]))
            continue
        try:
            reader.row(row, line)
        except PabulibError as exc:
            if exc.section is None and reader.section is not None:
                raise PabulibError(exc.message, line=line, section=reader.section) from None
            raise
    return line


def parse_pabulib(text: str, *, encoded: bytes | None = None) -> Election:
    """Parse the text of a Pabulib file into an election (``encoded``: the same text in UTF-8, if at hand)."""
    reader = _Reader()
    if text.startswith("\ufeff"):
        text, encoded = text[1:], None
    return reader.election(_read(reader, _Lines(text), encoded=encoded))


def read_pabulib(path: str | Path) -> Election:
    """Read a Pabulib file from disk (UTF-8, with or without byte-order mark)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PabulibError("not valid UTF-8 text", line=line, section=None) from None
    return parse_pabulib(text, encoded=data.removeprefix(b"\xef\xbb\xbf"))


def _number(value: Fraction) -> str:
    """Exact decimal text of an amount (Pabulib needs finite decimals)."""
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        raise ValueError(f"{value} has no finite decimal form")
    digits = max(twos, fives)
    if digits == 0:
        return str(value.numerator)
    scaled = abs(value.numerator) * 10**digits // value.denominator
    text = str(scaled).rjust(digits + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{text[:-digits]}.{text[-digits:]}"


def write_pabulib(election: Election, meta: Mapping[str, str] | None = None) -> str:
    """Render an election as Pabulib text that ``pabutools`` and this module can read back."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    fields: dict[str, str] = {"description": "Buurtbudget round", "country": "Netherlands"}
    fields.update(election.meta)
    fields.update(meta or {})
    fields.update(
        num_projects=str(len(election.projects)),
        num_votes=str(len(election.ballots)),
        budget=_number(election.budget),
        vote_type=election.vote_type,
    )
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(fields.items())
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", "name", "category"])
    for p in election.projects:
        writer.writerow([p.id, _number(p.cost), p.name, ",".join(sorted(p.categories))])
    points = election.vote_type in _POINT_TYPES
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", "points"] if points else ["voter_id", "vote"])
    for index, ballot in enumerate(election.ballots, start=1):
        voter = ballot.voter_id or str(index)
        if points:
            items = sorted((ballot.points or {}).items())
            writer.writerow([voter, ",".join(k for k, _ in items), ",".join(_number(v) for _, v in items)])
        else:
            order = ballot.ranking or tuple(sorted(ballot.approved))
            writer.writerow([voter, ",".join(order)])
    return out.getvalue()
