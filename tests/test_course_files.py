"""Which files of a course folder are course files: for the loader and for serve's watcher.

Whole courses with editors' files, upper-case suffixes and banks in sub-folders are in
fixtures/invalid/course-file-names and hostile/editor-files.
"""

from __future__ import annotations

import pytest

from coursegen import serve
from coursegen.loader import is_scratch

EDITORS_FILES = [
    ".#basics.yaml",  # Emacs's lock link, dangling while the bank has unsaved edits
    "#basics.yaml#",  # Emacs's auto-save
    "basics.yaml~",  # a backup (Emacs, Vim, gedit)
    ".basics.yaml.swp",  # Vim's swap file
    "._basics.yaml",  # macOS's resource fork on a foreign disk
    ".DS_Store",
]


@pytest.mark.parametrize("name", EDITORS_FILES)
def test_an_editors_file_is_not_a_course_file(name):
    assert is_scratch(name)
    assert not serve._course_file(None, f"/course/question_banks/{name}")


@pytest.mark.parametrize("name", ["basics.yaml", "OVERVIEW.YAML", "01-OVERVIEW.MD", "a #1.svg"])
def test_a_course_file_wakes_the_watcher(name):
    assert not is_scratch(name)
    assert serve._course_file(None, f"/course/question_banks/{name}")
