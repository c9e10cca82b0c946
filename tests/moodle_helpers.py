"""What the Moodle XML and GIFT tests both need to read as Moodle reads."""

from __future__ import annotations

import re


def split_category_path(path: str) -> list[str]:
    """qformat_default::split_category_path(): '/' separates, '//' is a slash in a name."""
    return [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path)]
