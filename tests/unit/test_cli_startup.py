"""The command line starts light: a command loads only what it uses (no web app, database or settings)."""

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("litestar", "sqlalchemy", "alembic", "pydantic", "pydantic_settings", "rich", "buurtbudget.settings")
PB = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;6\nb;5\nVOTES\nvoter_id;vote\n1;a\n2;a,b\n"
REPORT = "import json, sys\nprint(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))"


def heavy_modules_after(code: str) -> list[str]:
    """The heavy modules loaded in a fresh interpreter after running ``code``."""
    probe = f"{code}\n{REPORT.format(heavy=HEAVY)}"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_command_line_loads_nothing_heavy() -> None:
    assert heavy_modules_after("import api.cli") == []


def test_allocate_loads_no_web_app_database_or_settings(tmp_path: Path) -> None:
    path = tmp_path / "round.pb"
    path.write_text(PB, encoding="utf-8")
    args = ["allocate", str(path), "--rule", "mes"]
    assert heavy_modules_after(f"from api.cli import main\nmain({args!r}, standalone_mode=False)") == []


def test_help_of_a_database_command_loads_no_settings() -> None:
    run = (
        "from api.cli import main\ntry:\n    main(['db', 'upgrade', '--help'])\nexcept SystemExit:\n    pass"
    )
    assert heavy_modules_after(run) == []


def test_a_database_command_still_reads_the_settings(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    run = (
        "import os\n"
        f"os.environ['BUURTBUDGET_DATABASE_URL'] = {url!r}\n"
        "from api.cli import main\n"
        "main(['db', 'upgrade'], standalone_mode=False)"
    )
    assert "buurtbudget.settings" in heavy_modules_after(run)
    assert (tmp_path / "fresh.db").exists()


def test_allocate_starts_numpy_without_a_blas_thread_pool(tmp_path: Path) -> None:
    path = tmp_path / "round.pb"
    path.write_text(PB, encoding="utf-8")
    args = ["allocate", str(path), "--rule", "mes"]
    probe = (
        "import os\nos.environ.pop('OPENBLAS_NUM_THREADS', None)\nfrom api.cli import main\n"
        f"main({args!r}, standalone_mode=False)\nprint(os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "1"
