"""Letter codes (pure): the addresses file, the codes derived from a batch, and their keyed hashes.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L): 60 bits, typed in
groups of four (`ABCD-EFGH-JKMN`). It is derived with HMAC from the audit key (kept outside the
database), the batch's random nonce and the address's position, so the batch can be downloaded
again; the database stores only a keyed hash of each code, which a stolen copy cannot turn back.
"""

import csv
import hashlib
import hmac
import io
import re
from dataclasses import dataclass

from buurtbudget.audit import keys
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 characters without 0, O, 1, I, L
CODE_LENGTH = 12  # 12 * log2(31) = 59 bits
GROUP = 4
MAX_ADDRESSES = 5000
MAX_FILE_BYTES = 1_000_000
HEADER = ("straat", "huisnummer", "postcode", "plaats")
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
HOUSE_NUMBER = re.compile(r"^[1-9][0-9]{0,4}(?:[ -]?[A-Z0-9]{1,6})?$")


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    house_number: str
    postcode: str  # normalised: 1234AB
    city: str

    def one_line(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode[:4]} {self.postcode[4:]} {self.city}"


class AddressFileRefused(InvalidInput):
    """The addresses file as a whole is refused: `problems` lists (line, message id) pairs."""

    code = "address_file_refused"

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(N_("the addresses file has mistakes: nothing was imported"), field="addresses")
        self.problems = problems


def _read(text: str) -> list[list[str]]:
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _address(row: list[str], seen: set[tuple[str, str]]) -> tuple[Address | None, str | None]:
    """One line of the file: its address, or the reason it is refused."""
    if len(row) != len(HEADER):
        return None, N_("a line needs four columns: straat, huisnummer, postcode, plaats")
    street, house, postcode, city = (cell.strip() for cell in row)
    postcode_match = POSTCODE.match(postcode.upper())
    house = house.upper()
    problem = None
    if not 1 <= len(street) <= 120:
        problem = N_("the street is missing or longer than 120 characters")
    elif not HOUSE_NUMBER.match(house):
        problem = N_("the house number is not right, write it like 12 or 12A")
    elif postcode_match is None:
        problem = N_("the postcode is not right, write it like 3551 AB")
    elif not 1 <= len(city) <= 80:
        problem = N_("the place is missing or longer than 80 characters")
    if problem is not None or postcode_match is None:
        return None, problem
    normal = "".join(postcode_match.groups())
    if (normal, house) in seen:
        return None, N_("this address is in the file twice")
    seen.add((normal, house))
    return Address(street, house, normal, city), None


def parse_addresses(data: bytes) -> list[Address]:
    """The addresses of a CSV file with columns straat, huisnummer, postcode, plaats (comma or semicolon).

    Every line is checked; any mistake refuses the whole file with each line's reason (at most 20)."""
    if len(data) > MAX_FILE_BYTES:
        raise AddressFileRefused([(0, N_("the file is larger than 1 MB"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AddressFileRefused([(0, N_("save the file as CSV in UTF-8"))]) from None
    try:
        rows = _read(text)
    except csv.Error:
        raise AddressFileRefused([(0, N_("this is not a CSV file"))]) from None
    if not rows or [cell.strip().lower() for cell in rows[0]] != list(HEADER):
        raise AddressFileRefused([(1, N_("the first line must be: straat, huisnummer, postcode, plaats"))])
    problems: list[tuple[int, str]] = []
    addresses: list[Address] = []
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        address, problem = _address(row, seen)
        if address is not None:
            addresses.append(address)
        if problem is not None:
            problems.append((number, problem))
            if len(problems) >= 20:
                break
    if not problems and not addresses:
        problems.append((2, N_("the file has no addresses")))
    if not problems and len(addresses) > MAX_ADDRESSES:
        problems.append((MAX_ADDRESSES + 2, N_("a batch has at most 5000 addresses")))
    if problems:
        raise AddressFileRefused(problems)
    return addresses


def derive_code(nonce: str, batch_id: int, position: int) -> str:
    """The code of one address of a batch, grouped for typing."""
    digest = hmac.new(
        keys.current().key, f"letter code v1:{batch_id}:{position}:{nonce}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    plain = "".join(chars)
    return "-".join(plain[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise(code: str) -> str | None:
    """What the resident typed, without spaces and dashes, in capitals; None when it cannot be a code."""
    plain = re.sub(r"[\s\-.]", "", code).upper()
    if len(plain) != CODE_LENGTH or any(char not in ALPHABET for char in plain):
        return None
    return plain


def code_hash(plain: str) -> str:
    """The keyed hash under which a code is looked up (the code itself is never stored)."""
    return hmac.new(keys.current().key, f"letter code hash v1:{plain}".encode(), hashlib.sha256).hexdigest()
