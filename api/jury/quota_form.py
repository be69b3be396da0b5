"""Jury quotas as the municipality types them on the page: one per line, `category=value:min-max`.

Pure: text in, quotas or a Dutch error naming the line out. `geslacht=vrouw:2-3` asks two to three
seats for women; `leeftijd=jong:1-` at least one young person, without a maximum.
"""

import re

from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_
from buurtbudget.jury.sortition import Quota

LINE = re.compile(r"^\s*([^=:]{1,40}?)\s*=\s*([^=:]{1,40}?)\s*:\s*(\d{1,3})\s*-\s*(\d{1,3})?\s*$")
BAD_LINE = N_("Write each quota on its own line as category=value:minimum-maximum, like gender=woman:2-3.")
MAX_QUOTAS = 30


def parse_quotas(text: str) -> list[Quota]:
    """The quotas in `text`, or InvalidInput on field `quotas` naming the first line it cannot read."""
    quotas = []
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_QUOTAS:
        raise InvalidInput(BAD_LINE, field="quotas", line=MAX_QUOTAS + 1)
    for number, line in enumerate(lines, start=1):
        found = LINE.match(line)
        if found is None:
            raise InvalidInput(BAD_LINE, field="quotas", line=number)
        category, value, minimum, maximum = found.groups()
        quotas.append(Quota(category, value, int(minimum), None if maximum is None else int(maximum)))
    return quotas


def quotas_text(quotas: list[Quota]) -> str:
    """The quotas written back in the form's notation."""
    return "\n".join(
        f"{q.category}={q.value}:{q.minimum}-{'' if q.maximum is None else q.maximum}" for q in quotas
    )
