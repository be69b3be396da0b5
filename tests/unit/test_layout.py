"""The owner's layout holds: platform/ is a source root, the compose file names both services."""

import platform
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_platform_is_a_source_root_not_a_package() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert (ROOT / "platform" / "buurtbudget" / "__init__.py").exists()


def test_standard_library_platform_module_is_not_shadowed() -> None:
    assert platform.system()  # our platform/ folder would have no system()
    assert Path(platform.__file__).name == "platform.py"


def test_top_level_is_the_owners() -> None:
    for name in (
        "platform",
        "matching",
        "api",
        "frontend",
        "tests",
        "pyproject.toml",
        "docker-compose.yml",
        "README.md",
    ):
        assert (ROOT / name).exists(), name


def test_one_distribution_with_three_packages() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["build-system"]["build-backend"] == "hatchling.build"
    assert config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == [
        "platform/buurtbudget",
        "api",
        "matching",
    ]
    assert config["project"]["requires-python"].startswith(">=3.11")


def test_compose_file_runs_the_app_with_postgresql() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"app", "db"} <= set(services)
    assert services["db"]["image"].startswith("postgres")
    assert "postgresql+asyncpg://" in services["app"]["environment"]["BUURTBUDGET_DATABASE_URL"]
    assert (ROOT / services["app"]["build"]["context"] / "Dockerfile").exists()


def test_readme_gives_the_two_commands_on_its_first_screen() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:40])
    assert "make run" in first_screen
    assert "make test" in first_screen
    assert "http://127.0.0.1:8000" in first_screen
