"""`coursegen lint`: an item-writing review of a course's questions.

Validation says whether a course is correct; the review judges whether its questions test
knowledge rather than test-wiseness, by the flaws item-writing guides warn about (a giveaway
length, "all of the above", an unmarked NOT, a pattern in the answers, one fact asked twice).
Its findings are warnings with the guideline each comes from; it never changes a build.
"""
