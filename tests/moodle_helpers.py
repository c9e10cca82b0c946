"""What the Moodle XML and GIFT tests both need to read as Moodle reads."""

from __future__ import annotations

import re

# A module's category name, by the course's language: "Module 1: Title".
MODULE_WORD = {"en": "Module", "ar": "الوحدة"}
ARABIC_CATEGORIES = [
    ["$course$", "top", "دورة تجريبية", "الوحدة 1: مقدمة"],
    ["$course$", "top", "دورة تجريبية", "الوحدة 2: واجبات الشرطة"],
]


def module_category(course, module) -> list[str]:
    """The category path Moodle should read for a module of ``course``."""
    name = f"{MODULE_WORD[course.language]} {module.number}: {module.title}"
    return ["$course$", "top", course.title, name]


def split_category_path(path: str) -> list[str]:
    """qformat_default::split_category_path(): '/' separates, '//' is a slash in a name."""
    return [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path)]
