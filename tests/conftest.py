import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def course_copy(tmp_path):
    """Copy a fixture course into tmp_path (optionally overlaying another folder's files)."""

    def make(name: str = "minimal", overlay: Path | None = None) -> Path:
        target = tmp_path / "course"
        shutil.copytree(FIXTURES / name, target)
        if overlay is not None:
            shutil.copytree(
                overlay,
                target,
                dirs_exist_ok=True,
                symlinks=True,  # a link out of the course must stay a link
                ignore=shutil.ignore_patterns("expected.txt", "args"),
            )
        return target

    return make


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory):
    """Builds keep their store in a folder of the test run's, never in the user's cache."""
    os.environ["COURSEGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
