"""Courses in other languages: translation files (gettext PO) beside the English course.

`coursegen translate extract` writes each translatable text of the course as a unit of a PO
file under modules/translations/<language>/ (walk.py names the units, catalog.py reads the
files, extract.py writes them); `coursegen build --lang` and `coursegen validate` read them
back onto the English course (apply.py).
"""
