"""Reading neighbourhood and postcode CSV files (CBS's wijk- en buurtkaart columns), all lines checked.

Pure: bytes in, rows out, or every problem with its line number and reason. Nothing here touches the
database; `places.imports` checks the rows against it and writes them in one transaction.
"""

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_, gettext
from buurtbudget.places import codes

MAX_BYTES = 5_000_000
MAX_LINES = 100_000
NAME_MAX = 120
CODE_MAX = 12


@dataclass(frozen=True, slots=True)
class LineProblem:
    """What is wrong on one line (line 1 is the header); `message` is a msgid with {placeholders}."""

    line: int
    message: str
    params: dict[str, str | int] = field(default_factory=dict)

    def text(self, locale: str) -> str:
        """The reason in `locale`, starting with a capital."""
        text = gettext(self.message, locale).format(**self.params)
        return text[:1].upper() + text[1:]


class ImportRefused(InvalidInput):
    """The file has problems: nothing of it is written."""

    def __init__(self, problems: list[LineProblem]) -> None:
        super().__init__(
            "the file was not imported: correct the lines listed and try again",
            field="file",
            problems=len(problems),
        )
        self.problems = sorted(problems, key=lambda problem: problem.line)


@dataclass(frozen=True, slots=True)
class NeighbourhoodRow:
    line: int
    cbs_code: str
    name: str
    district: str | None
    municipality_code: str | None
    municipality_name: str | None


@dataclass(frozen=True, slots=True)
class PostcodeRow:
    line: int
    postcode: str
    cbs_code: str


def _decoded(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise ImportRefused([LineProblem(1, N_("the file is larger than 5 MB: split it into smaller files"))])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [LineProblem(line, N_("this line is not UTF-8 text: save the file as 'CSV UTF-8'"))]
        ) from None


def _table(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The lower-cased column names and the data lines (with their line numbers), `;` or `,` separated."""
    text = _decoded(content)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportRefused([LineProblem(1, N_("the file is empty or its first line is empty"))])
    delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except csv.Error:
        raise ImportRefused([LineProblem(1, N_("the first line cannot be read as CSV"))]) from None

    def lines() -> Iterator[tuple[int, list[str]]]:
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield start, ["\0csv-error"]
                continue
            if start > MAX_LINES:
                yield start, ["\0too-many"]
                return
            if any(value.strip() for value in fields):
                yield start, fields

    return header, lines()


def _row_problem(line: int, fields: list[str], header: list[str]) -> LineProblem | None:
    if fields == ["\0csv-error"]:
        return LineProblem(line, N_("this line cannot be read as CSV (check the quotes)"))
    if fields == ["\0too-many"]:
        return LineProblem(line, N_("the file has more than {max} lines: split it"), {"max": MAX_LINES})
    if len(fields) != len(header):
        return LineProblem(
            line,
            N_("this line has {found} fields where the first line names {expected} columns"),
            {"found": len(fields), "expected": len(header)},
        )
    return None


def _text(value: str, line: int, what: str, problems: list[LineProblem]) -> str:
    if any(unicodedata.category(char) == "Cc" for char in value):
        problems.append(LineProblem(line, N_("the {column} holds a line break or tab"), {"column": what}))
    cleaned = " ".join(value.split())
    if len(cleaned) > NAME_MAX:
        problems.append(LineProblem(line, N_("the {column} has more than 120 characters"), {"column": what}))
    return cleaned


NO_NEIGHBOURHOOD_COLUMNS = N_(
    "the first line must name the columns buurtcode and buurtnaam (or wijkcode and wijknaam)"
)
NOT_A_BUURTCODE = N_("{code} is not a CBS buurtcode (BU and 8 digits)")
NOT_A_WIJKCODE = N_("{code} is not a CBS wijkcode (WK and 6 digits)")


def _code_problem(
    code: str, column: str, municipality_code: str, line: int, seen: dict[str, int]
) -> LineProblem | None:
    """What is wrong with a line's buurtcode or wijkcode, if anything (a first sighting is noted)."""
    if not code:
        return LineProblem(line, N_("the {column} is empty"), {"column": column})
    if column == "buurtcode" and codes.NEIGHBOURHOOD_CODE.fullmatch(code) is None:
        return LineProblem(line, NOT_A_BUURTCODE, {"code": code})
    if column == "wijkcode" and not codes.is_district_code(code):
        return LineProblem(line, NOT_A_WIJKCODE, {"code": code})
    if not codes.belongs_to(code, municipality_code):
        return LineProblem(
            line,
            N_("{code} lies in another municipality than {municipality}"),
            {"code": code, "municipality": municipality_code},
        )
    if code in seen:
        return LineProblem(
            line,
            N_("{code} appears twice in the file (also on line {other})"),
            {"code": code, "other": seen[code]},
        )
    seen[code] = line
    return None


def read_neighbourhoods(content: bytes, municipality_code: str) -> list[NeighbourhoodRow]:
    """The file's buurten (or wijken, when it has no buurtcode column) of the municipality; or every
    problem at once (ImportRefused)."""
    header, lines = _table(content)
    if "buurtcode" in header and "buurtnaam" in header:
        code_column, name_column = "buurtcode", "buurtnaam"
    elif "wijkcode" in header and "wijknaam" in header:
        code_column, name_column = "wijkcode", "wijknaam"
    else:
        raise ImportRefused([LineProblem(1, NO_NEIGHBOURHOOD_COLUMNS)])
    position = {column: index for index, column in enumerate(header)}
    problems: list[LineProblem] = []
    rows: list[NeighbourhoodRow] = []
    seen: dict[str, int] = {}
    for line, fields in lines:
        if problem := _row_problem(line, fields, header):
            problems.append(problem)
            continue

        def value(column: str, fields: list[str] = fields) -> str:
            return fields[position[column]].strip() if column in position else ""

        code = value(code_column).upper()
        if problem := _code_problem(code, code_column, municipality_code, line, seen):
            problems.append(problem)
        name = _text(value(name_column), line, name_column, problems)
        if not name:
            problems.append(LineProblem(line, N_("the {column} is empty"), {"column": name_column}))
        district = ""
        if code_column == "buurtcode":  # a buurt lies in a wijk: its name tells equal names apart
            district = _text(value("wijknaam"), line, "wijknaam", problems)
            wijkcode = value("wijkcode").upper()
            if wijkcode and not codes.is_district_code(wijkcode):
                problems.append(LineProblem(line, NOT_A_WIJKCODE, {"code": wijkcode}))
        town_code = value("gemeentecode").upper()
        if town_code and town_code != municipality_code:
            problems.append(
                LineProblem(
                    line,
                    N_("the gemeentecode {code} is not that of the municipality chosen ({expected})"),
                    {"code": town_code, "expected": municipality_code},
                )
            )
        rows.append(
            NeighbourhoodRow(
                line=line,
                cbs_code=code,
                name=name,
                district=district or None,
                municipality_code=town_code or None,
                municipality_name=" ".join(value("gemeentenaam").split()) or None,
            )
        )
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused([LineProblem(2, N_("the file holds no neighbourhoods below its first line"))])
    return rows


def read_postcodes(content: bytes) -> list[PostcodeRow]:
    """The file's postcodes (or 4-digit areas) and the buurt or wijk each lies in; or every problem."""
    header, lines = _table(content)
    code_column = next((c for c in ("buurtcode", "wijkcode", "code") if c in header), None)
    if "postcode" not in header or code_column is None:
        raise ImportRefused(
            [LineProblem(1, N_("the first line must name the columns postcode and buurtcode"))]
        )
    position = {column: index for index, column in enumerate(header)}
    problems: list[LineProblem] = []
    rows: list[PostcodeRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, fields in lines:
        if problem := _row_problem(line, fields, header):
            problems.append(problem)
            continue
        typed = fields[position["postcode"]].strip()
        code = fields[position[code_column]].strip().upper()
        postcode = codes.postcode(typed)
        if postcode is None:
            problems.append(
                LineProblem(
                    line,
                    N_("{postcode} is not a postcode (4 digits and 2 letters, like 3552 AB, or 4 digits)"),
                    {"postcode": typed},
                )
            )
        if not code:
            problems.append(LineProblem(line, N_("the {column} is empty"), {"column": code_column}))
        elif len(code) > CODE_MAX:  # the database knows the codes; this only keeps nonsense out
            problems.append(LineProblem(line, NOT_A_BUURTCODE, {"code": code[:CODE_MAX]}))
        if postcode is None or not code:
            continue
        if (postcode, code) in seen:
            problems.append(
                LineProblem(
                    line,
                    N_("{postcode} with {code} appears twice in the file (also on line {other})"),
                    {"postcode": typed, "code": code, "other": seen[postcode, code]},
                )
            )
            continue
        seen[postcode, code] = line
        rows.append(PostcodeRow(line=line, postcode=postcode, cbs_code=code))
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused([LineProblem(2, N_("the file holds no postcodes below its first line"))])
    return rows
