"""The interface in English: every string, and the fallback for languages without a table."""

STRINGS = {
    "skip": "Skip to main content",
    "home": "Course home",
    "glossary": "Glossary",
    "final": "Final assessment",
    "answer_key": "Answer key",
    "modules": "Modules",
    "module_n": "Module {n}",
    "module_title": "Module {n}: {title}",  # pages, cards, LMS categories and quizzes
    "objectives": "What you will learn",
    "course_objectives": "By the end of this course you will be able to",
    "key_terms": "Key terms",
    "summary": "Summary",
    "related": "Related topics",
    "glossary_term": "Glossary: {term}",  # a related topic that is a key term
    "defined_in": "Defined in:",  # before the modules that define a glossary term
    "also_in": "Also used in:",  # before the modules that list the term as a related topic
    "defined_differently": "The modules define this term differently:",
    "quiz": "Check your understanding",
    "question_n": "Question {n} of {total}",
    "check": "Check",
    "correct": "Correct",
    "incorrect": "Incorrect",
    "partly": "Partly correct: {n} of {total}",
    "not_answered": "Not answered",
    # Each part's verdict after Check, first the verdict, then what it is about
    "mark_chosen_right": "Correct: you chose it",
    "mark_chosen_wrong": "Incorrect: you chose it",
    "mark_the_answer": "The correct answer",
    "mark_missed": "Missed: this one is also correct",
    "mark_pair_wrong": "Incorrect: its match is {letter}. {text}",
    "mark_pair_missing": "Not answered: its match is {letter}. {text}",
    "mark_position_wrong": "Incorrect: this belongs at position {n}",
    "try_again": "Try again",
    "next": "Next",
    "previous": "Previous",
    "show_answer": "Show the answer",
    "answer": "Answer",
    "the_answer": "The correct answer is:",
    "explanation": "Why",
    "source": "From the lesson",
    "source_link": "Read this in the lesson",
    "blank_n": "Blank {n} of {total}",
    "your_answer": "Your answer",
    "your_answer_in": "Your answer, in {unit}",  # a numeric answer's unit, as the bank names it
    "choose": "Choose…",
    "move_up": "Move up",
    "move_down": "Move down",
    "moved": "Now at position {n} of {total}",
    "choose_one": "Choose one answer.",
    "choose_all": "Choose all that apply.",
    "true_false": "Is this true or false?",
    "true": "True",
    "false": "False",
    "type_answer": "Type your answer.",
    "type_number": "Type a number.",
    # A numeric question: the first right figure and the range accepted around it, with units
    "numeric_range": "{answer} (accepted: {low} to {high})",
    "numeric_no_number": "Not a number: write it in digits, such as 12.5",
    "numeric_unreadable": "Not a number in {unit}: write it in digits, such as 12.5",
    # How a learner may write a number: the characters between its whole and its fraction,
    # and those between groups of three digits
    "number_decimal": ".",
    "number_group": ",",
    "fill_blanks": "Fill in the blanks.",
    "match": "For each item, choose the letter of its match.",
    "match_choices": "Choices",
    "match_item": "Item",
    "match_choice": "Its match",
    "order": "Move the items with the arrow buttons, the first at the top.",
    "progress": "{answered} · {correct}",  # "7 of 22 answered · 3 correct"
    "progress_answered": {  # counted by the total
        "one": "{answered} of {n} answered",
        "other": "{answered} of {n} answered",
    },
    "progress_correct": {"one": "{n} correct", "other": "{n} correct"},
    "progress_bar": "Questions answered",
    "not_started": "Not started",
    "best_score": "Best score: {score}",
    "reset": "Reset progress",
    "reset_confirm": "Clear all your answers and scores in this browser?",
    "reset_done": "Your progress has been cleared.",
    "start_final": "Start the assessment",
    "final_intro": {
        "one": "{n} question drawn from every module.",
        "other": "{n} questions drawn from every module.",
    },
    "final_pass": "You need {pass_mark} to pass.",
    # A final assessment with a blueprint: its count, then one line per rule
    "final_intro_blueprint": {
        "one": "One question, drawn for each attempt by the course's test plan.",
        "other": "{n} questions, drawn for each attempt by the course's test plan.",
    },
    "blueprint_plan": "How the questions are drawn",
    "blueprint_rule": "Rule {n}",  # a blueprint rule without a name of its own
    "blueprint_line": {"one": "{name}: one question", "other": "{name}: {n} questions"},
    "blueprint_category": {  # a Moodle category's description, for the administrator
        "one": "The final assessment draws one question at random from this category.",
        "other": "The final assessment draws {n} questions at random from this category.",
    },
    "submit": "Submit my answers",
    "unanswered": {
        "one": "{n} question is not answered yet. Submit anyway?",
        "other": "{n} questions are not answered yet. Submit anyway?",
    },
    "final_attempts_allowed": {
        "one": "You may make one attempt.",
        "other": "You may make {n} attempts.",
    },
    "submitted": "Your answers are submitted and can no longer be changed.",
    "new_attempt": "Start a new attempt",
    "attempt": "Attempt {n}",
    "attempt_of": "Attempt {n} of {max}",
    "attempts": "Attempts: {used}",
    "attempts_of": "Attempts: {used} of {max}",
    "last_score": "Last score: {score}",
    "attempts_used_up": {
        "one": "You have used your only attempt.",
        "other": "You have used all {n} attempts.",
    },
    "review_after_pass": "The right answers are shown here once you pass.",
    "review_never": "This assessment does not show the right answers.",
    "result": "You scored {score} ({correct} of {total}).",
    "passed": "You passed.",
    "failed": "You have not passed yet: the pass mark is {pass_mark}.",
    "final_passed": "Passed",
    "final_not_passed": "Not passed yet",
    "needs_js": "The interactive quiz needs JavaScript. Each question's answer is in its "
    "“Show the answer” section.",
    "final_needs_js": "The final assessment needs JavaScript. You can study every question "
    "on the module pages.",
    "answer_key_intro": "For instructors: every question with its correct answer, "
    "explanation and source.",
    # Instructor material: its index, the printable exam and its key, the objectives map
    "instructor": "Instructor material",
    "instructor_intro": "For instructors only: none of these pages is part of the course "
    "site that learners receive, and no page of that site links to them.",
    "exam": "Printable exam",
    "exam_about": "The final assessment's questions as a paper exam, with space to answer.",
    "exam_key": "Key to the printable exam",
    "exam_key_about": "The answers to the printable exam, by question number and letter.",
    "objectives_map": "Objectives and their questions",
    "objectives_map_about": "Each module's objectives with the questions that assess each; "
    "an objective that no question assesses is flagged.",
    "exam_pool": {
        "one": "This paper holds the one question the final assessment draws from.",
        "other": "This paper holds all {n} questions the final assessment draws from.",
    },
    "exam_draw": {
        "one": "Online, each attempt draws one of them.",
        "other": "Online, each attempt draws {n} of them.",
    },
    "exam_name": "Name",
    "exam_date": "Date",
    "exam_score": "Score",
    "exam_question": "Question",
    "paper_choose_one": "Tick one answer.",
    "paper_choose_all": "Tick every answer that applies.",
    "paper_true_false": "Tick true or false.",
    "paper_short_answer": "Write your answer on the line.",
    "paper_numeric": "Write the number on the line.",
    "paper_numeric_in": "Write the number on the line, in {unit}.",
    "paper_cloze": "Write the missing words in the numbered blanks.",
    "paper_match": "Beside each number, write the letter of the item that matches it.",
    "paper_order": "Write the letters in the right order in the boxes, the first one first.",
    # What to do on a printed module page, where the live form's hint is gone
    "worksheet_cloze": "Write the missing words in the blanks.",
    "worksheet_order": "Number the boxes in the right order, 1 for the first.",
    "assessed_by": {
        "one": "Assessed by one question:",
        "other": "Assessed by {n} questions:",
    },
    "not_assessed": "No question assesses this objective.",
    "unassessed_count": {
        "one": "One of them is assessed by no question.",
        "other": "{n} of them are assessed by no question.",
    },
    "all_assessed": "Each is assessed by at least one question.",
    "bloom_remember": "remember",
    "bloom_understand": "understand",
    "bloom_apply": "apply",
    "bloom_analyse": "analyse",
    "bloom_evaluate": "evaluate",
    "bloom_create": "create",
    "objective": "Objectives",
    "objectives_count": {"one": "{n} learning objective", "other": "{n} learning objectives"},
    "questions_count": {"one": "{n} quiz question", "other": "{n} quiz questions"},
    "difficulty": "Difficulty",
    "print": "Print",
    "table": "Table",  # a table's scrolling region, when no heading names it
    "contents": "On this page",
    "published_by": "Published by {publisher}",
    "edition": "Edition of {date}",
    "contact": "Contact",
    "licence": "Licence",
    "authors": "Authors",
    "version": "Version",
    # The answer key's note of each question's type and difficulty
    "kind_single_choice": "single choice",
    "kind_multiple_response": "multiple response",
    "kind_true_false": "true false",
    "kind_short_answer": "short answer",
    "kind_cloze": "cloze",
    "kind_matching": "matching",
    "kind_ordering": "ordering",
    "kind_numeric": "numeric",
    "difficulty_easy": "easy",
    "difficulty_medium": "medium",
    "difficulty_hard": "hard",
    # The GIFT file's first line, a comment
    "gift_header": "{title} ({id} {version}), written by coursegen",
    # Anki cards: the instruction above a question, the labels of its answer
    "anki_choose_one": "Choose one answer",
    "anki_choose_all": "Choose all that apply",
    "anki_true_false": "True or false?",
    "anki_match": "Match each numbered item with a lettered one",
    "anki_order": "Put these in the right order",
    "anki_type_in": "Type the answer",
    "anki_cloze": "Fill in the blank",
    "anki_correct_answers": {"one": "Correct answer:", "other": "Correct answers:"},
    "anki_about_options": "About the options:",
    "anki_correct_order": "Correct order:",
    "anki_matches": "Matches:",
    "anki_answer": "Answer:",
    "anki_also_accepted": "Also accepted:",
    "anki_in_unit": "Answer in {unit}",  # under a numeric prompt
    "anki_range": "any figure from {low} to {high}",  # after "Also accepted:"
    # A retired note: its subdeck's name, and the words before its module on the card's back
    "anki_retired_deck": "Retired",
    "anki_retired": "Retired from the course",
    "separator": ", ",  # between the items of a list, such as the other accepted answers
    "quoted": "“{text}”",
    # The printable exam's key (instructor material): parts of one answer
    "answers_separator": "; ",  # between correct options, which may hold commas
    "pair": "{left} → {right}",  # a match; the arrow points the way the text reads
    "then": " → ",  # between the items of an order
    # CHANGELOG.md, beside the packages, for an LMS administrator
    "changelog_title": "Changes to the questions of {title}",
    "changelog_intro": "Each question is listed under the last build that added, changed or "
    "retired it, newest first, by the id every package gives it (Moodle's ID number, QTI's "
    "ident, GIFT's [id:...]). A question is changed when its content changed; building again "
    "changes nothing here.",
    "changelog_none": "No build has added, changed or retired a question yet.",
    "changelog_added": "Added",
    "changelog_changed": "Changed",
    "changelog_retired": "Retired",
    "changelog_retired_note": "No package carries these any more. Their results in an LMS stay "
    "under their ids; in Anki, their notes are kept, tagged {tag}.",
    # Anki note types, as Anki's note type list and browser name them
    "anki_note_choice": "coursegen Choice",
    "anki_note_arrange": "coursegen Match or Order",
    "anki_note_type_in": "coursegen Type-in",
    "anki_note_cloze": "coursegen Cloze",
    "anki_note_flashcard": "coursegen Flashcard",
}
