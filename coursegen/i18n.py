"""The interface's own words, per language, and the writing direction of each language.

Course content comes in the course's language from its authors; these are the words coursegen
itself puts around it (buttons, headings, feedback). A language without a table falls back to
English, so a course always builds. Languages are BCP 47 tags, read by langcodes.
"""

from __future__ import annotations

import langcodes

# Scripts written right to left (CLDR's script metadata), among those in use today. Direction
# follows the script, not the language: Kurdish is written in Arabic script (ckb, ku-Arab) and
# in Latin script (ku, ku-Latn).
RTL_SCRIPTS = {
    "Adlm",
    "Arab",
    "Hebr",
    "Mand",
    "Mend",
    "Nkoo",
    "Rohg",
    "Samr",
    "Syrc",
    "Thaa",
    "Yezi",
}

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "skip": "Skip to main content",
        "home": "Course home",
        "glossary": "Glossary",
        "final": "Final assessment",
        "answer_key": "Answer key",
        "modules": "Modules",
        "module_n": "Module {n}",
        "objectives": "What you will learn",
        "course_objectives": "By the end of this course you will be able to",
        "key_terms": "Key terms",
        "summary": "Summary",
        "related": "Related topics",
        "quiz": "Check your understanding",
        "question_n": "Question {n} of {total}",
        "check": "Check",
        "correct": "Correct",
        "incorrect": "Incorrect",
        "partly": "Partly correct",
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
        "choose": "Choose…",
        "move_up": "Move up",
        "move_down": "Move down",
        "moved": "{item} is now at position {n}",
        "choose_one": "Choose one answer.",
        "choose_all": "Choose all that apply.",
        "true_false": "Is this true or false?",
        "true": "True",
        "false": "False",
        "type_answer": "Type your answer.",
        "fill_blanks": "Fill in the blanks.",
        "match": "Match each item with one from the list.",
        "order": "Put these in the right order, first at the top.",
        "progress": "{answered} of {total} answered, {correct} correct",
        "not_started": "Not started",
        "best_score": "Best score: {score}%",
        "no_score": "No score yet",
        "reset": "Reset progress",
        "reset_confirm": "Clear all your answers and scores in this browser?",
        "reset_done": "Your progress has been cleared.",
        "start_final": "Start the assessment",
        "final_intro": "{count} questions drawn from every module. You need {pass_mark}% to pass.",
        "submit": "Submit my answers",
        "unanswered": "{count} questions are not answered yet. Submit anyway?",
        "result": "You scored {score}% ({correct} of {total}).",
        "passed": "You passed.",
        "failed": "You have not passed yet: the pass mark is {pass_mark}%.",
        "final_best": "Final assessment: best score {score}%",
        "final_passed": "passed",
        "needs_js": "The interactive quiz needs JavaScript. Each question's answer is in its "
        "“Show the answer” section.",
        "final_needs_js": "The final assessment needs JavaScript. You can study every question "
        "on the module pages.",
        "answer_key_intro": "For instructors: every question with its correct answer, "
        "explanation and source.",
        "objective": "Objectives",
        "module_meta": "{objectives} learning objectives · {questions} quiz questions",
        "difficulty": "Difficulty",
        "print": "Print",
        "contents": "On this page",
        "licence": "Licence",
        "authors": "Authors",
        "version": "Version",
    },
    "ar": {
        "skip": "انتقل إلى المحتوى الرئيسي",
        "home": "الصفحة الرئيسية للدورة",
        "glossary": "مسرد المصطلحات",
        "final": "التقييم النهائي",
        "answer_key": "مفتاح الإجابات",
        "modules": "الوحدات",
        "module_n": "الوحدة {n}",
        "objectives": "ما ستتعلمه",
        "course_objectives": "في نهاية هذه الدورة ستكون قادرًا على",
        "key_terms": "المصطلحات الأساسية",
        "summary": "الملخص",
        "related": "موضوعات ذات صلة",
        "quiz": "تحقق من فهمك",
        "question_n": "السؤال {n} من {total}",
        "check": "تحقق",
        "correct": "صحيح",
        "incorrect": "غير صحيح",
        "partly": "صحيح جزئيًا",
        "try_again": "حاول مرة أخرى",
        "next": "التالي",
        "previous": "السابق",
        "show_answer": "اعرض الإجابة",
        "answer": "الإجابة",
        "the_answer": "الإجابة الصحيحة هي:",
        "explanation": "السبب",
        "source": "من الدرس",
        "source_link": "اقرأ هذا في الدرس",
        "blank_n": "الفراغ {n} من {total}",
        "your_answer": "إجابتك",
        "choose": "اختر…",
        "move_up": "انقل إلى الأعلى",
        "move_down": "انقل إلى الأسفل",
        "moved": "أصبح {item} في الموضع {n}",
        "choose_one": "اختر إجابة واحدة.",
        "choose_all": "اختر كل ما ينطبق.",
        "true_false": "هل هذه العبارة صحيحة أم خاطئة؟",
        "true": "صحيح",
        "false": "خطأ",
        "type_answer": "اكتب إجابتك.",
        "fill_blanks": "املأ الفراغات.",
        "match": "طابق كل عنصر مع عنصر من القائمة.",
        "order": "رتّب هذه العناصر بالترتيب الصحيح، الأول في الأعلى.",
        "progress": "أُجيب عن {answered} من {total}، منها {correct} صحيحة",
        "not_started": "لم تبدأ بعد",
        "best_score": "أفضل نتيجة: {score}٪",
        "no_score": "لا توجد نتيجة بعد",
        "reset": "إعادة ضبط التقدم",
        "reset_confirm": "هل تريد مسح جميع إجاباتك ونتائجك في هذا المتصفح؟",
        "reset_done": "تم مسح تقدمك.",
        "start_final": "ابدأ التقييم",
        "final_intro": "{count} سؤالًا من جميع الوحدات. تحتاج إلى {pass_mark}٪ للنجاح.",
        "submit": "أرسل إجاباتي",
        "unanswered": "لم تتم الإجابة عن {count} من الأسئلة بعد. هل تريد الإرسال على أي حال؟",
        "result": "نتيجتك {score}٪ ({correct} من {total}).",
        "passed": "لقد نجحت.",
        "failed": "لم تنجح بعد: درجة النجاح {pass_mark}٪.",
        "final_best": "التقييم النهائي: أفضل نتيجة {score}٪",
        "final_passed": "ناجح",
        "needs_js": "يتطلب الاختبار التفاعلي JavaScript. إجابة كل سؤال في قسم «اعرض الإجابة».",
        "final_needs_js": "يتطلب التقييم النهائي JavaScript. يمكنك دراسة كل سؤال في صفحات الوحدات.",
        "answer_key_intro": "للمدربين: كل سؤال مع إجابته الصحيحة وشرحه ومصدره.",
        "objective": "الأهداف",
        "module_meta": "أهداف التعلم: {objectives} · أسئلة الاختبار: {questions}",
        "difficulty": "الصعوبة",
        "print": "طباعة",
        "contents": "في هذه الصفحة",
        "licence": "الترخيص",
        "authors": "المؤلفون",
        "version": "الإصدار",
    },
}


def strings_for(language: str) -> dict[str, str]:
    """The interface strings for ``language`` (a BCP 47 tag), English where none exist."""
    # By the language alone ('ar-IQ' and 'arb', Standard Arabic, are 'ar').
    base = _language(language).prefer_macrolanguage().language
    return {**STRINGS["en"], **STRINGS.get(base, {})}


def direction(language: str) -> str:
    """'rtl' for a language written in a right-to-left script, else 'ltr'."""
    # The script is the tag's own ('az-Arab'), else the one the language is usually written in.
    return "rtl" if _language(language).maximize().script in RTL_SCRIPTS else "ltr"


def _language(tag: str) -> langcodes.Language:
    try:  # normalised: deprecated tags ('iw') become their current ones ('he')
        return langcodes.Language.get(tag, normalize=True)
    except ValueError:  # not a tag at all (validation reports it): the interface stays English
        return langcodes.Language.get("en")


def is_language_tag(text: str) -> bool:
    """Whether ``text`` is a valid BCP 47 tag: well formed, and of registered subtags."""
    # langcodes also reads 'en_US', which is not BCP 47 and not a valid HTML lang.
    return "_" not in text and langcodes.tag_is_valid(text)


def tag_for(text: str) -> str | None:
    """The tag that a malformed tag or a language's name means ('Arabic': 'ar'), if any."""
    try:
        tag = langcodes.standardize_tag(text)
    except ValueError:
        tag = ""
    if not is_language_tag(tag):
        try:  # names come from the language_data package, loaded here only
            tag = langcodes.find(text).to_tag()
        except (LookupError, ValueError):
            return None
    return tag if is_language_tag(tag) else None
