"""`buurtbudget jury attributes`: a municipality's jury pool attributes shown, set from a file, reset."""

import json
from pathlib import Path

from conftest import World
from test_people_cli import run

from buurtbudget.settings import Settings

AREAS = [
    {
        "key": "area",
        "label": "Deel van de buurt",
        "choices": [{"key": "noord", "label": "Noord"}, {"key": "zuid", "label": "Zuid"}],
    }
]


def test_the_jury_attributes_are_shown_set_and_reset(
    settings: Settings, world: World, tmp_path: Path
) -> None:
    code, out, err = run(settings, "jury", "attributes", "GM0344")
    assert code == 0, err
    assert [a["key"] for a in json.loads(out)] == ["age_band", "gender"]  # the defaults
    wanted = tmp_path / "areas.json"
    wanted.write_text(json.dumps(AREAS), encoding="utf-8")
    code, out, err = run(settings, "jury", "attributes", "gm0344", "--set", str(wanted))
    assert code == 0, err
    assert json.loads(out) == AREAS
    assert json.loads(run(settings, "jury", "attributes", "GM0344")[1]) == AREAS
    assert (
        json.loads(run(settings, "jury", "attributes", "GM1916")[1])[0]["key"] == "age_band"
    )  # not Voorburg
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"key": "Area!", "label": "x", "choices": []}]), encoding="utf-8")
    code, _out, err = run(settings, "jury", "attributes", "GM0344", "--set", str(bad))
    assert code == 1
    assert "key" in err
    assert json.loads(run(settings, "jury", "attributes", "GM0344")[1]) == AREAS  # unchanged
    code, out, _err = run(settings, "jury", "attributes", "GM0344", "--defaults")
    assert code == 0
    assert [a["key"] for a in json.loads(out)] == ["age_band", "gender"]
    code, _out, err = run(settings, "jury", "attributes", "GM9999")
    assert code == 1
    assert "no such municipality" in err
