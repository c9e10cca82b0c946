/* coursegen course site: interactive quizzes, progress and the final assessment.
 *
 * A classic script (ES modules and fetch() fail from file://). It reads the page's data from
 * <script type="application/json" id="cg-data">, turns each question's <template> into a
 * form, and keeps progress in localStorage. Without it every page still reads well: each
 * question shows its answer in a <details> disclosure. */
(function () {
  "use strict";

  var dataElement = document.getElementById("cg-data");
  if (!dataElement) return;
  var site = JSON.parse(dataElement.textContent);
  var t = site.strings;
  // CLDR's rules, as the build used (coursegen/i18n): the plural category picks a counted
  // string's form, and numbers are written in Latin digits, as the page's other text is.
  var plurals = new Intl.PluralRules(site.locale);
  var numbers = new Intl.NumberFormat(site.locale, { numberingSystem: "latn" });
  var percents = new Intl.NumberFormat(site.locale, { numberingSystem: "latn", style: "percent" });
  var STORAGE_KEY = "coursegen:" + site.course + ":v1";
  var memoryStore = null; // used when the browser refuses localStorage
  var host = findHost();

  /* In an LMS the SCORM package's launch page shows the course in a frame and offers a host
   * that keeps progress in the LMS (with localStorage's getItem/setItem/removeItem) and hears
   * each graded answer. Elsewhere there is none and nothing changes. frameElement is null at
   * the top and under another origin, so looking never throws. */
  function findHost() {
    var frame = window.frameElement;
    var parent = frame && frame.ownerDocument.defaultView;
    return (parent && parent.coursegenHost) || null;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      if (!Object.prototype.hasOwnProperty.call(values, name)) return match;
      var value = values[name];
      return typeof value === "number" ? numbers.format(value) : value;
    });
  }

  /* The form of a counted string for n: its forms are keyed by CLDR plural category. */
  function counted(forms, n, values) {
    var filled = { n: n };
    Object.keys(values || {}).forEach(function (name) {
      filled[name] = values[name];
    });
    return format(forms[plurals.select(n)] || forms.other, filled);
  }

  function percentText(value) {
    return percents.format(value / 100);
  }

  /* ---- progress, kept in localStorage -------------------------------------------- */

  function emptyState() {
    return { answers: {}, best: {}, final: null };
  }

  function loadState() {
    try {
      var raw = (host || window.localStorage).getItem(STORAGE_KEY);
      var state = raw ? JSON.parse(raw) : emptyState();
      state.answers = state.answers || {};
      state.best = state.best || {};
      return state;
    } catch (error) {
      return memoryStore || emptyState();
    }
  }

  function saveState(state) {
    try {
      (host || window.localStorage).setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      memoryStore = state;
    }
  }

  function clearState() {
    try {
      (host || window.localStorage).removeItem(STORAGE_KEY);
    } catch (error) {
      /* nothing stored */
    }
    memoryStore = null;
  }

  function moduleProgress(state, module) {
    var answered = 0;
    var correct = 0;
    Object.keys(state.answers).forEach(function (qid) {
      var answer = state.answers[qid];
      if (answer.module === module.id) {
        answered += 1;
        if (answer.correct) correct += 1;
      }
    });
    return { answered: answered, correct: correct, total: module.total };
  }

  function percent(part, whole) {
    return whole ? Math.round((100 * part) / whole) : 0;
  }

  /* "7 of 22 answered", counted by the total: the words for "question" follow it. */
  function answeredText(progress) {
    return counted(t.progress_answered, progress.total, { answered: progress.answered });
  }

  /* "7 of 22 answered · 3 correct" */
  function progressText(progress) {
    return format(t.progress, {
      answered: answeredText(progress),
      correct: counted(t.progress_correct, progress.correct),
    });
  }

  /* ---- reading and checking answers ----------------------------------------------- */

  /* NFC: an accent typed as a letter plus a combining mark (macOS, PDF copies) matches the
     composed letter the author wrote. Case folds by the course's language, not the browser's. */
  function normalise(text, caseSensitive) {
    var folded = String(text).normalize("NFC").replace(/\s+/g, " ").trim();
    var lang = document.documentElement.lang || undefined;
    return caseSensitive ? folded : folded.toLocaleLowerCase(lang);
  }

  function accepts(accepted, given, caseSensitive) {
    var answer = normalise(given, caseSensitive);
    return answer !== "" && accepted.some(function (option) {
      return normalise(option, caseSensitive) === answer;
    });
  }

  /* A typed figure as a number (NaN when it is none): digits in any of the course's scripts,
   * the unit after it or not ("45 km", "45km", "45"), the language's decimal separators and
   * its separators between groups of three digits ("1,922" in English). */
  var INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;
  var INDIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;

  function readNumber(text, check) {
    var figure = String(text).normalize("NFKC").replace(INVISIBLE, "")
      .replace(INDIC_DIGITS, function (digit) { return String(digit.charCodeAt(0) % 16); })
      .replace(/[\u2212\u2012\u2013]/g, "-").replace(/\s+/g, " ").trim();
    var unit = check.unit.normalize("NFKC").trim();
    var lang = document.documentElement.lang || undefined;
    if (unit && figure.toLocaleLowerCase(lang).endsWith(unit.toLocaleLowerCase(lang))) {
      figure = figure.slice(0, figure.length - unit.length).trim();
    }
    var found = new RegExp("^([+-]?)(\\d*)((?:[" + escapeClass(check.group) + "]\\d{3})*)(?:[" +
      escapeClass(check.decimal) + "](\\d+))?$").exec(figure);
    if (!found || (!found[2] && !found[4]) || (found[3] && !found[2])) return NaN;
    return Number(found[1] + (found[2] || "0") + found[3].replace(/\D/g, "") + "." +
      (found[4] || "0"));
  }

  function escapeClass(characters) {
    return characters.replace(/[\\\]^-]/g, "\\$&");
  }

  /* The index of the first answer whose range holds the typed figure, or -1. */
  function matchedFigure(check, response) {
    var number = readNumber(response, check);
    if (isNaN(number)) return -1;
    for (var i = 0; i < check.answers.length; i += 1) {
      var answer = check.answers[i];
      if (Number(answer.low) <= number && number <= Number(answer.high)) return i;
    }
    return -1;
  }

  function sameList(a, b) {
    return a.length === b.length && a.every(function (value, i) {
      return value === b[i];
    });
  }

  function valuesOf(form, selector) {
    return Array.prototype.map.call(form.querySelectorAll(selector), function (field) {
      return field.value;
    });
  }

  function someChosen(response) {
    return response.length > 0;
  }

  function someFilled(response) {
    return response.some(function (value) {
      return normalise(value, false) !== "";
    });
  }

  function chosenKeys(form) {
    return valuesOf(form, "input:checked");
  }

  function sameKeys(check, response) {
    return sameList(response.slice().sort(), check.correct.slice().sort());
  }

  function everyPartRight(check, response) {
    return KINDS[check.kind].parts(check, response).every(Boolean);
  }

  function restoreChoices(question, response) {
    Array.prototype.forEach.call(question.form.querySelectorAll("input"), function (input) {
      input.checked = response.indexOf(input.value) >= 0;
    });
  }

  function restoreFields(selector) {
    return function (question, response) {
      Array.prototype.forEach.call(question.form.querySelectorAll(selector), function (field, i) {
        field.value = response[i] || "";
        if (field.classList.contains("q-gap")) fitGap(field);
      });
    };
  }

  /* Each question type as the page handles it, one entry per view of html_quiz.VIEWS:
   * - read: the response, from the question's form;
   * - answered: whether that response counts as an answer (an ordering left as shown does
   *   not: the question knows whether it was moved);
   * - parts (for a type whose answer has parts): each part judged right or wrong, the
   *   options chosen or to be chosen (multiple response), each gap, pair or position;
   * - correct: whether the whole response is right;
   * - mark: the Question method that marks each part after Check;
   * - restore: put a saved response back into the form. */
  var CHOICE = {
    read: chosenKeys, answered: someChosen, correct: sameKeys, mark: "markOptions",
    restore: restoreChoices,
  };
  var KINDS = {
    single_choice: CHOICE,
    true_false: CHOICE,
    multiple_response: {
      read: chosenKeys, answered: someChosen, correct: sameKeys, mark: "markOptions",
      restore: restoreChoices,
      parts: function (check, response) {
        return check.correct.concat(response.filter(function (key) {
          return check.correct.indexOf(key) < 0;
        })).map(function (key) {
          return check.correct.indexOf(key) >= 0 && response.indexOf(key) >= 0;
        });
      },
    },
    short_answer: {
      read: function (form) { return form.querySelector(".q-text").value; },
      answered: function (response) { return normalise(response, false) !== ""; },
      correct: function (check, response) {
        return accepts(check.answers, response, check.case_sensitive);
      },
      mark: null,
      restore: function (question, response) {
        question.form.querySelector(".q-text").value = response;
      },
    },
    numeric: {
      read: function (form) { return form.querySelector(".q-figure").value; },
      answered: function (response) { return normalise(response, false) !== ""; },
      correct: function (check, response) {
        var i = matchedFigure(check, response);
        return i >= 0 && check.answers[i].correct;
      },
      mark: "markFigure",
      restore: function (question, response) {
        question.form.querySelector(".q-figure").value = response;
      },
      // What an LMS is told the learner answered: the figure read, in Latin digits.
      reported: function (check, response) {
        var number = readNumber(response, check);
        return isNaN(number) ? "" : String(number);
      },
    },
    cloze: {
      read: function (form) { return valuesOf(form, ".q-gap"); },
      answered: someFilled,
      parts: function (check, response) {
        return check.gaps.map(function (accepted, i) {
          return accepts(accepted, response[i] || "", check.case_sensitive);
        });
      },
      correct: everyPartRight, mark: "markGaps", restore: restoreFields(".q-gap"),
    },
    matching: {
      read: function (form) { return valuesOf(form, "select"); },
      answered: someFilled,
      parts: function (check, response) {
        return check.pairs.map(function (key, i) { return response[i] === key; });
      },
      correct: everyPartRight, mark: "markPairs", restore: restoreFields("select"),
    },
    ordering: {
      read: function (form) {
        return Array.prototype.map.call(form.querySelectorAll(".q-order li"), function (item) {
          return item.getAttribute("data-key");
        });
      },
      answered: function (response, question) { return question.moved; },
      parts: function (check, response) {
        return check.order.map(function (key, i) { return response[i] === key; });
      },
      correct: everyPartRight, mark: "markPositions",
      restore: function (question, response) {
        question.moved = true;
        var list = question.form.querySelector(".q-order");
        response.forEach(function (key) {
          var item = list.querySelector('li[data-key="' + key + '"]');
          if (item) list.appendChild(item);
        });
      },
    },
  };

  /* "Correct", "Incorrect" or "Partly correct: 3 of 5", and its class. */
  function verdictOf(check, correct, response) {
    if (correct) return { text: t.correct, className: "is-correct" };
    var kind = KINDS[check.kind];
    var parts = kind.parts ? kind.parts(check, response) : [];
    var right = parts.filter(Boolean).length;
    if (!right) return { text: t.incorrect, className: "is-wrong" };
    return { text: format(t.partly, { n: right, total: parts.length }), className: "is-partly" };
  }

  /* ---- one question ---------------------------------------------------------------- */

  function shuffle(list) {
    for (var i = list.length - 1; i > 0; i -= 1) {
      var j = Math.floor(Math.random() * (i + 1));
      var swap = list[i];
      list[i] = list[j];
      list[j] = swap;
    }
    return list;
  }

  /* A blank grows with what is typed, never narrower than its expected answer. */
  function fitGap(gap) {
    var base = Number(gap.getAttribute("data-size") || gap.size);
    gap.setAttribute("data-size", base);
    gap.size = Math.max(base, gap.value.length + 2);
  }

  function Question(section, check, options) {
    this.section = section;
    this.check = check;
    this.id = section.getAttribute("data-qid");
    this.onResult = options.onResult || function () {};
    this.exam = Boolean(options.exam);
    var template = section.querySelector("template.q-live");
    var fragment = template.content.cloneNode(true);
    var staticPart = section.querySelector(".q-static");
    if (staticPart) staticPart.hidden = true; // the printed worksheet (print.css)
    template.remove();
    section.appendChild(fragment);
    this.form = section.querySelector(".q-form");
    this.feedback = section.querySelector(".q-feedback");
    this.explain = section.querySelector(".q-explain");
    this.checkButton = section.querySelector(".q-check");
    this.retryButton = section.querySelector(".q-retry");
    this.marks = []; // the per-part verdicts shown, removed again by Try again
    this.moved = false; // an ordering is shown shuffled: left as shown, it is not answered
    this.wire(options.exam);
  }

  Question.prototype.wire = function (exam) {
    var self = this;
    if (exam) {
      this.form.querySelector(".q-actions").hidden = true;
    }
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (exam) return;
      self.grade(true);
      self.retryButton.focus(); // in the place of Check, which is now hidden
    });
    this.retryButton.addEventListener("click", function () {
      self.reset();
      var first = self.form.querySelector("input, select, button[data-move]");
      if (first) first.focus();
    });
    this.form.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (button) self.move(button);
    });
    this.form.addEventListener("input", function (event) {
      if (event.target.classList.contains("q-gap")) fitGap(event.target);
    });
  };

  Question.prototype.move = function (button) {
    var item = button.closest("li");
    var step = Number(button.getAttribute("data-move"));
    var sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) return;
    var list = item.parentNode;
    this.moved = true;
    if (step < 0) list.insertBefore(item, sibling);
    else list.insertBefore(sibling, item);
    button.focus();
    // Short and polite: the focused button already names the item.
    var position = Array.prototype.indexOf.call(list.children, item) + 1;
    this.form.querySelector(".q-move-status").textContent =
      format(t.moved, { n: position, total: list.children.length });
  };

  Question.prototype.response = function () {
    return KINDS[this.check.kind].read(this.form);
  };

  Question.prototype.answered = function () {
    return KINDS[this.check.kind].answered(this.response(), this);
  };

  /* Whether ``response`` is right; an LMS hears of it. */
  Question.prototype.evaluate = function (response) {
    var kind = KINDS[this.check.kind];
    var correct = kind.correct(this.check, response);
    if (host) {
      host.graded({ id: this.id, kind: this.check.kind, check: this.check, response: response,
                    correct: correct, final: this.exam,
                    reported: kind.reported ? kind.reported(this.check, response) : null });
    }
    return correct;
  };

  /* Check the answer, show feedback, and report the result. */
  Question.prototype.grade = function (report) {
    var response = this.response();
    var correct = this.evaluate(response);
    this.showFeedback(correct, response);
    if (report) this.onResult(this, correct, response);
    return correct;
  };

  Question.prototype.showFeedback = function (correct, response) {
    var verdict = verdictOf(this.check, correct, response);
    this.feedback.className = "q-feedback " + verdict.className;
    this.feedback.textContent = verdict.text;
    this.explain.hidden = false;
    this.markParts(response);
    this.setLocked(true);
    this.checkButton.hidden = true;
    this.retryButton.hidden = this.exam; // an exam's attempt is retaken whole, or not at all
  };

  Question.prototype.markParts = function (response) {
    var mark = KINDS[this.check.kind].mark;
    if (mark) this[mark](response);
  };

  /* A part's verdict in words and symbol, placed before ``before`` in ``parent`` (at its
   * end without one), coloured on ``holder`` and read with ``control`` by a screen reader. */
  Question.prototype.addMark = function (holder, parent, before, right, text, control) {
    var mark = document.createElement("span");
    mark.className = "q-mark " + (right ? "is-right" : "is-wrong");
    mark.id = this.section.id + "-mark-" + (this.marks.length + 1);
    var symbol = document.createElement("span");
    symbol.setAttribute("aria-hidden", "true");
    symbol.textContent = right ? "✓ " : "✗ ";
    mark.appendChild(symbol);
    mark.appendChild(document.createTextNode(text));
    parent.insertBefore(mark, before || null);
    holder.classList.add(right ? "is-correct" : "is-wrong");
    if (control) control.setAttribute("aria-describedby", mark.id);
    this.marks.push({ mark: mark, holder: holder, control: control });
  };

  Question.prototype.markOptions = function (response) {
    var self = this;
    var multiple = this.check.kind === "multiple_response";
    var correct = this.check.correct;
    Array.prototype.forEach.call(this.form.querySelectorAll(".q-option"), function (option) {
      var key = option.getAttribute("data-key");
      var chosen = response.indexOf(key) >= 0;
      var right = correct.indexOf(key) >= 0;
      var note = option.querySelector(".q-option-feedback");
      var input = option.querySelector("input");
      if (chosen) {
        self.addMark(option, option, note, right, right ? t.mark_chosen_right
          : t.mark_chosen_wrong, input);
      } else if (right) { // missing from a multiple response; shown as the answer of one
        self.addMark(option, option, note, !multiple, multiple ? t.mark_missed
          : t.mark_the_answer, input);
      }
      if (note && chosen) note.hidden = false; // after the verdict: first right or wrong, then why
    });
  };

  Question.prototype.markGaps = function (response) {
    var self = this;
    var parts = KINDS.cloze.parts(this.check, response);
    Array.prototype.forEach.call(this.form.querySelectorAll(".q-gap"), function (gap, i) {
      var text = parts[i] ? t.correct : (normalise(response[i] || "", false) ? t.incorrect
        : t.not_answered);
      self.addMark(gap, gap.parentNode, gap.nextSibling, parts[i], text, gap);
    });
  };

  /* The verdict beside the figure, then the feedback of the answer it matched, if any. */
  Question.prototype.markFigure = function (response) {
    var input = this.form.querySelector(".q-figure");
    var field = input.parentNode;
    var i = matchedFigure(this.check, response);
    var right = i >= 0 && this.check.answers[i].correct;
    var readable = !isNaN(readNumber(response, this.check));
    var text = right ? t.correct : (readable ? t.incorrect : this.check.unreadable);
    this.addMark(field, field, null, right, text, input);
    var note = this.form.querySelector('.q-figure-feedback[data-figure="' + i + '"]');
    if (note) note.hidden = false;
  };

  Question.prototype.markPairs = function (response) {
    var self = this;
    var check = this.check;
    var form = this.form;
    Array.prototype.forEach.call(form.querySelectorAll(".q-pair"), function (pair, i) {
      var select = pair.querySelector("select");
      var choice = form.querySelector('.q-choices li[data-key="' + check.pairs[i] + '"]');
      var right = response[i] === check.pairs[i];
      var text = right ? t.correct : format(response[i] ? t.mark_pair_wrong : t.mark_pair_missing,
        { letter: choice.getAttribute("data-letter"), text: choice.textContent.trim() });
      self.addMark(pair, pair, null, right, text, select);
    });
  };

  Question.prototype.markPositions = function (response) {
    var self = this;
    var order = this.check.order;
    Array.prototype.forEach.call(this.form.querySelectorAll(".q-order li"), function (item, i) {
      var key = item.getAttribute("data-key");
      var right = order[i] === key;
      var text = right ? t.correct : format(t.mark_position_wrong, { n: order.indexOf(key) + 1 });
      self.addMark(item, item.querySelector(".q-order-text"), null, right, text, null);
    });
  };

  /* After Check the answer stays as given and legible: text can be read and selected, not
   * changed; choices cannot be changed. */
  Question.prototype.setLocked = function (locked) {
    this.form.classList.toggle("is-locked", locked); // an ordering's move buttons go
    Array.prototype.forEach.call(
      this.form.querySelectorAll("input, select, button[data-move]"),
      function (control) {
        if (control.type === "text") control.readOnly = locked;
        else control.disabled = locked;
      }
    );
  };

  Question.prototype.reset = function () {
    this.setLocked(false);
    this.explain.hidden = true;
    this.checkButton.hidden = false;
    this.retryButton.hidden = true;
    this.feedback.className = "q-feedback";
    this.feedback.textContent = "";
    this.marks.forEach(function (entry) {
      entry.mark.remove();
      entry.holder.classList.remove("is-correct", "is-wrong");
      if (entry.control) entry.control.removeAttribute("aria-describedby");
    });
    this.marks = [];
    Array.prototype.forEach.call(this.form.querySelectorAll(".q-option-feedback, .q-figure-feedback"), function (note) {
      note.hidden = true;
    });
  };

  /* Put a saved response back into the form, so a reload shows where the learner was. */
  Question.prototype.restore = function (response) {
    KINDS[this.check.kind].restore(this, response);
  };

  /* ---- pages ----------------------------------------------------------------------- */

  function moduleById(id) {
    return site.modules.filter(function (module) {
      return module.id === id;
    })[0];
  }

  function initModulePage() {
    var quiz = document.querySelector(".quiz");
    if (!quiz || !site.quiz) return;
    var module = moduleById(site.quiz.module);
    var status = quiz.querySelector(".quiz-progress");

    function update(state) {
      var progress = moduleProgress(state, module);
      status.hidden = false;
      status.textContent = progressText(progress);
      var score = percent(progress.correct, progress.total);
      state.best[module.id] = Math.max(state.best[module.id] || 0, score);
    }

    var state = loadState();
    Array.prototype.forEach.call(quiz.querySelectorAll(".q"), function (section) {
      var check = site.quiz.questions[section.getAttribute("data-qid")];
      var question = new Question(section, check, {
        onResult: function (q, correct, response) {
          var current = loadState();
          current.answers[q.id] = { module: module.id, correct: correct, response: response };
          update(current);
          saveState(current);
        },
      });
      var saved = state.answers[question.id];
      if (saved && saved.response !== undefined) {
        question.restore(saved.response);
        question.showFeedback(saved.correct, saved.response);
      }
    });
    update(state);
    status.removeAttribute("role"); // the per-question status already speaks
  }

  function initHomePage() {
    var state = loadState();
    site.modules.forEach(function (module) {
      var box = document.querySelector('[data-progress-for="' + module.id + '"]');
      if (box) showModuleProgress(box, moduleProgress(state, module));
    });
    var finalStatus = document.querySelector(".final-status");
    if (finalStatus && state.final) {
      finalStatus.hidden = false;
      finalStatus.textContent = standingText(state.final) + " · " +
        (state.final.passed ? t.final_passed : t.final_not_passed);
    }
    var reset = document.querySelector(".reset-area");
    if (!reset) return;
    reset.hidden = false;
    reset.querySelector("[data-action=reset]").addEventListener("click", function () {
      if (!window.confirm(t.reset_confirm)) return;
      clearState();
      initHomePage();
      reset.querySelector(".reset-status").textContent = t.reset_done;
    });
  }

  /* A module's card on the home page: what share is answered (the bar, in a neutral colour,
   * since answering is not succeeding) and, in words, how many answers are right. */
  function showModuleProgress(box, progress) {
    var bar = box.querySelector("[role=progressbar]");
    box.hidden = false;
    bar.setAttribute("aria-valuenow", progress.answered);
    bar.setAttribute("aria-valuetext", answeredText(progress));
    bar.querySelector("span").style.width = percent(progress.answered, progress.total) + "%";
    box.querySelector(".progress-text").textContent =
      progress.answered ? progressText(progress) : t.not_started;
  }

  /* ---- the final assessment: an exam, one submission per attempt ------------------------ */

  function attemptsLeft(final) {
    var max = site.final.max_attempts;
    return !max || !final || final.attempts < max;
  }

  /* "Attempts: 2 of 3 · Best score: 80% · Last score: 40%" */
  function standingText(final) {
    var max = site.final.max_attempts;
    var used = max ? format(t.attempts_of, { used: final.attempts, max: max })
      : format(t.attempts, { used: final.attempts });
    return [used, format(t.best_score, { score: percentText(final.best) }),
            format(t.last_score, { score: percentText(final.last) })].join(" · ");
  }

  function usedUpText() {
    return counted(t.attempts_used_up, site.final.max_attempts);
  }

  function reviewShown(final) {
    return site.final.review === "after_submit" ||
      (site.final.review === "after_pass" && final.passed);
  }

  function initFinalPage() {
    var start = document.querySelector(".final-start");
    if (!start) return;
    // Each attempt gets fresh copies of the questions, unanswered; the originals leave the
    // page so that ids stay unique.
    var bank = document.querySelector(".final-bank");
    var pristine = Array.prototype.slice.call(bank.querySelectorAll(".q"));
    bank.remove();
    var exam = { pristine: pristine, questions: [], submitted: true };
    var final = loadState().final;
    if (final) {
      showStanding([standingText(final)].concat(attemptsLeft(final) ? [] : [usedUpText()]));
    }
    document.querySelector(".final-form").addEventListener("submit", function (event) {
      event.preventDefault();
      submitAttempt(exam);
    });
    if (!attemptsLeft(final)) return;
    start.hidden = false;
    var button = start.querySelector("button");
    if (final) button.textContent = t.new_attempt;
    button.addEventListener("click", function () {
      start.hidden = true;
      startAttempt(exam);
    });
  }

  /* Where the learner stands, above the questions: a paragraph per line of ``lines``. */
  function showStanding(lines) {
    var standing = document.querySelector(".final-standing");
    standing.hidden = false;
    standing.textContent = "";
    lines.forEach(function (line) {
      paragraph(standing, line);
    });
  }

  /* "Attempt 2 of 3", while the learner answers it. */
  function attemptText() {
    var final = loadState().final;
    var n = (final ? final.attempts : 0) + 1;
    var max = site.final.max_attempts;
    return max ? format(t.attempt_of, { n: n, max: max }) : format(t.attempt, { n: n });
  }

  /* Fresh copies of the questions of one attempt: each set's count drawn from it (the
     whole pool is one set without a blueprint), in a random order if the course shuffles,
     else each set's first questions in the page's order. */
  function drawAttempt(pristine) {
    var byId = {};
    pristine.forEach(function (section) {
      byId[section.getAttribute("data-qid")] = section;
    });
    var chosen = [];
    site.quiz.draws.forEach(function (set) {
      var ids = set.questions.slice();
      if (site.final.shuffle) shuffle(ids);
      ids.slice(0, set.draw).forEach(function (id) {
        chosen.push(byId[id].cloneNode(true));
      });
    });
    return site.final.shuffle ? shuffle(chosen) : chosen;
  }

  /* Draw the questions (again, if the course shuffles) and show them, unanswered. */
  function startAttempt(exam) {
    var form = document.querySelector(".final-form");
    var holder = form.querySelector(".final-questions");
    var result = document.querySelector(".final-result");
    holder.textContent = "";
    result.textContent = "";
    result.className = "final-result";
    var chosen = drawAttempt(exam.pristine);
    exam.questions = chosen.map(function (section, i) {
      holder.appendChild(section);
      section.querySelector(".q-number").textContent =
        format(t.question_n, { n: i + 1, total: chosen.length });
      var check = site.quiz.questions[section.getAttribute("data-qid")];
      return new Question(section, check, { exam: true });
    });
    exam.submitted = false;
    showStanding([attemptText()]);
    form.hidden = false;
    form.querySelector(".final-submit").hidden = false;
    var firstHeading = holder.querySelector(".q-number");
    if (firstHeading) {
      firstHeading.setAttribute("tabindex", "-1");
      firstHeading.focus();
    }
  }

  /* Grade the attempt once: its answers lock, and it is counted whatever happens next. */
  function submitAttempt(exam) {
    if (exam.submitted) return;
    var missing = exam.questions.filter(function (q) {
      return !q.answered();
    }).length;
    if (missing && !window.confirm(counted(t.unanswered, missing))) return;
    exam.submitted = true;
    document.querySelector(".final-submit").hidden = true;
    var graded = exam.questions.map(function (q) {
      var response = q.response();
      return { question: q, response: response, correct: q.evaluate(response) };
    });
    var correct = graded.filter(function (g) {
      return g.correct;
    }).length;
    var final = recordAttempt(percent(correct, graded.length));
    var review = reviewShown(final);
    graded.forEach(function (g) {
      if (review) g.question.showFeedback(g.correct, g.response);
      else g.question.setLocked(true);
    });
    showFinalResult(exam, correct, graded.length, final, review);
  }

  function recordAttempt(score) {
    var state = loadState();
    var previous = state.final || { best: 0, passed: false, attempts: 0 };
    state.final = {
      best: Math.max(previous.best, score),
      passed: previous.passed || score >= site.final.pass_mark,
      last: score,
      attempts: (previous.attempts || 0) + 1,
    };
    saveState(state);
    return state.final;
  }

  function paragraph(parent, text, className) {
    var p = document.createElement("p");
    p.textContent = text;
    if (className) p.className = className;
    parent.appendChild(p);
  }

  function showFinalResult(exam, correct, total, final, review) {
    var result = document.querySelector(".final-result");
    var passed = final.last >= site.final.pass_mark;
    result.className = "final-result " + (passed ? "is-passed" : "is-failed");
    result.textContent = "";
    var verdict = passed ? t.passed : format(t.failed, { pass_mark: percentText(site.final.pass_mark) });
    paragraph(result, format(t.result, { score: percentText(final.last), correct: correct,
                                          total: total }) + " " + verdict, "final-score");
    var unreviewed = site.final.review === "never" ? t.review_never : t.review_after_pass;
    paragraph(result, t.submitted + (review ? "" : " " + unreviewed));
    paragraph(result, standingText(final));
    if (attemptsLeft(final)) {
      var again = document.createElement("button");
      again.type = "button";
      again.className = "button-secondary";
      again.textContent = t.new_attempt;
      again.addEventListener("click", function () {
        startAttempt(exam);
      });
      result.appendChild(again);
    } else {
      paragraph(result, usedUpText());
    }
    document.querySelector(".final-standing").hidden = true; // the result says it all now
    result.setAttribute("tabindex", "-1");
    result.focus();
  }

  function initPrinting() {
    var button = document.querySelector("[data-action=print]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    }
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details"), function (details) {
        details.open = true;
      });
    });
  }

  function init() {
    if (site.page === "module") initModulePage();
    if (site.page === "home") initHomePage();
    if (site.page === "final") initFinalPage();
    initPrinting();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
