"""`coursegen new`: a small, complete course to start from, that validates and builds as is."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

from .errors import CourseError
from .schema import SCHEMAS, json_schema

SCHEMA_DIR = ".coursegen"


def new_course(target: Path) -> list[Path]:
    """Create a course in ``target``, which must not exist yet; return the files written."""
    if target.exists():
        raise CourseError(
            f"{target}: already exists; coursegen new never overwrites, so choose a new folder name"
        )
    template = resources.files("coursegen").joinpath("templates/scaffold")
    staging = target.with_name(f".{target.name}.new")
    try:
        _copy_tree(template, staging)
        manifest = staging / "modules" / "course.yaml"
        manifest.write_text(
            manifest.read_text("utf-8")
            .replace("{course_id}", _slug(target.name))
            .replace("{title}", _title(target.name)),
            "utf-8",
        )
        (staging / "gitignore.txt").rename(staging / ".gitignore")
        write_schemas(staging / SCHEMA_DIR)
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise CourseError(f"{target}: cannot create the course: {exc.strerror or exc}") from None
    return sorted(p for p in target.rglob("*") if p.is_file())


def write_schemas(folder: Path) -> None:
    """Write the JSON Schema files that the scaffold's YAML files point editors to."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, (_, file_name) in SCHEMAS.items():
        (folder / file_name).write_text(json.dumps(json_schema(kind), indent=2) + "\n", "utf-8")


def _copy_tree(source, target: Path) -> None:
    target.mkdir(parents=True)
    for entry in source.iterdir():
        if entry.is_dir():
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def _slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.lower())) or "my-course"


def _title(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    return " ".join(w.capitalize() for w in words) or "My Course"
