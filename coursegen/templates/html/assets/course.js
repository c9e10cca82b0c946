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
  function counted(forms, n) {
    return format(forms[plurals.select(n)] || forms.other, { n: n });
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

  function progressText(progress) {
    return format(t.progress, progress);
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

  function readResponse(form, kind) {
    if (kind === "single_choice" || kind === "multiple_response" || kind === "true_false") {
      return Array.prototype.map.call(form.querySelectorAll("input:checked"), function (input) {
        return input.value;
      });
    }
    if (kind === "short_answer") return form.querySelector(".q-text").value;
    if (kind === "cloze") {
      return Array.prototype.map.call(form.querySelectorAll(".q-gap"), function (input) {
        return input.value;
      });
    }
    if (kind === "matching") {
      return Array.prototype.map.call(form.querySelectorAll("select"), function (select) {
        return select.value;
      });
    }
    return Array.prototype.map.call(form.querySelectorAll(".q-order li"), function (item) {
      return item.getAttribute("data-key");
    });
  }

  function isAnswered(kind, response) {
    if (kind === "short_answer") return normalise(response, false) !== "";
    if (kind === "ordering") return true;
    if (kind === "cloze" || kind === "matching") {
      return response.some(function (value) {
        return normalise(value, false) !== "";
      });
    }
    return response.length > 0;
  }

  function sameList(a, b) {
    return a.length === b.length && a.every(function (value, i) {
      return value === b[i];
    });
  }

  function isCorrect(check, response) {
    switch (check.kind) {
      case "single_choice":
      case "multiple_response":
      case "true_false":
        return sameList(response.slice().sort(), check.correct.slice().sort());
      case "short_answer":
        return accepts(check.answers, response, check.case_sensitive);
      case "cloze":
        return check.gaps.every(function (accepted, i) {
          return accepts(accepted, response[i] || "", check.case_sensitive);
        });
      case "matching":
        return sameList(response, check.pairs);
      case "ordering":
        return sameList(response, check.order);
    }
    return false;
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

  function Question(section, check, options) {
    this.section = section;
    this.check = check;
    this.id = section.getAttribute("data-qid");
    this.onResult = options.onResult || function () {};
    this.exam = Boolean(options.exam);
    var template = section.querySelector("template.q-live");
    var fragment = template.content.cloneNode(true);
    var staticPart = section.querySelector(".q-static");
    if (staticPart) staticPart.remove();
    template.remove();
    section.appendChild(fragment);
    this.form = section.querySelector(".q-form");
    this.feedback = section.querySelector(".q-feedback");
    this.explain = section.querySelector(".q-explain");
    this.retryButton = section.querySelector(".q-retry");
    this.shuffleOptions();
    this.wire(options.exam);
  }

  Question.prototype.shuffleOptions = function () {
    var container = this.form.querySelector(".q-options[data-shuffle]");
    if (!container) return;
    shuffle(Array.prototype.slice.call(container.children)).forEach(function (child) {
      container.appendChild(child);
    });
  };

  Question.prototype.wire = function (exam) {
    var self = this;
    if (exam) {
      this.form.querySelector(".q-actions").hidden = true;
    }
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (exam) return;
      self.grade(true);
      self.retryButton.focus(); // the checked controls are now disabled and lose focus
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
  };

  Question.prototype.move = function (button) {
    var item = button.closest("li");
    var step = Number(button.getAttribute("data-move"));
    var sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) return;
    var list = item.parentNode;
    if (step < 0) list.insertBefore(item, sibling);
    else list.insertBefore(sibling, item);
    button.focus();
    var position = Array.prototype.indexOf.call(list.children, item) + 1;
    var text = item.querySelector(".q-order-text").textContent.trim();
    this.feedback.className = "q-feedback is-info";
    this.feedback.textContent = format(t.moved, { item: text, n: position });
  };

  Question.prototype.response = function () {
    return readResponse(this.form, this.check.kind);
  };

  Question.prototype.answered = function () {
    return isAnswered(this.check.kind, this.response());
  };

  /* Check the answer, show feedback, and report the result. */
  Question.prototype.grade = function (report) {
    var response = this.response();
    var correct = isCorrect(this.check, response);
    this.showFeedback(correct, response);
    if (host) {
      host.graded({ id: this.id, kind: this.check.kind, check: this.check, response: response,
                    correct: correct, final: this.exam });
    }
    if (report) this.onResult(this, correct, response);
    return correct;
  };

  Question.prototype.showFeedback = function (correct, response) {
    this.feedback.className = "q-feedback " + (correct ? "is-correct" : "is-wrong");
    this.feedback.textContent = correct ? t.correct : t.incorrect;
    this.explain.hidden = false;
    this.markOptions(response);
    this.setLocked(true);
    this.retryButton.hidden = false;
  };

  Question.prototype.markOptions = function (response) {
    var check = this.check;
    if (!check.correct) return;
    Array.prototype.forEach.call(this.form.querySelectorAll(".q-option"), function (option) {
      var key = option.getAttribute("data-key");
      var chosen = response.indexOf(key) >= 0;
      var right = check.correct.indexOf(key) >= 0;
      var mark = document.createElement("span");
      mark.className = "q-mark";
      if (right) {
        option.classList.add("is-correct");
        mark.textContent = "✓ " + t.correct + (chosen ? " — " + t.your_answer : "");
      } else if (chosen) {
        option.classList.add("is-wrong");
        mark.textContent = "✗ " + t.incorrect + " — " + t.your_answer;
      }
      if (mark.textContent) option.appendChild(mark);
      var note = option.querySelector(".q-option-feedback");
      if (note && chosen) note.hidden = false;
    });
  };

  Question.prototype.setLocked = function (locked) {
    Array.prototype.forEach.call(
      this.form.querySelectorAll("input, select, button[data-move], .q-check"),
      function (control) {
        control.disabled = locked;
      }
    );
  };

  Question.prototype.reset = function () {
    this.setLocked(false);
    this.explain.hidden = true;
    this.retryButton.hidden = true;
    this.feedback.className = "q-feedback";
    this.feedback.textContent = "";
    Array.prototype.forEach.call(this.form.querySelectorAll(".q-option"), function (option) {
      option.classList.remove("is-correct", "is-wrong");
      var mark = option.querySelector(".q-mark");
      if (mark) mark.remove();
      var note = option.querySelector(".q-option-feedback");
      if (note) note.hidden = true;
    });
  };

  /* Put a saved response back into the form, so a reload shows where the learner was. */
  Question.prototype.restore = function (response) {
    var form = this.form;
    var kind = this.check.kind;
    if (kind === "short_answer") {
      form.querySelector(".q-text").value = response;
    } else if (kind === "cloze" || kind === "matching") {
      var fields = form.querySelectorAll(kind === "cloze" ? ".q-gap" : "select");
      Array.prototype.forEach.call(fields, function (field, i) {
        field.value = response[i] || "";
      });
    } else if (kind === "ordering") {
      var list = form.querySelector(".q-order");
      response.forEach(function (key) {
        var item = list.querySelector('li[data-key="' + key + '"]');
        if (item) list.appendChild(item);
      });
    } else {
      Array.prototype.forEach.call(form.querySelectorAll("input"), function (input) {
        input.checked = response.indexOf(input.value) >= 0;
      });
    }
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
      if (!box) return;
      var progress = moduleProgress(state, module);
      var best = state.best[module.id];
      box.hidden = false;
      box.querySelector(".progress-bar span").style.width =
        percent(progress.answered, progress.total) + "%";
      box.querySelector(".progress-text").textContent =
        (progress.answered ? progressText(progress) : t.not_started) + " · " +
        (best !== undefined ? format(t.best_score, { score: percentText(best) }) : t.no_score);
    });
    var finalStatus = document.querySelector(".final-status");
    if (finalStatus && state.final) {
      finalStatus.hidden = false;
      finalStatus.textContent = format(t.final_best, { score: percentText(state.final.best) }) +
        (state.final.passed ? " — " + t.final_passed : "");
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

  function initFinalPage() {
    var start = document.querySelector(".final-start");
    if (!start) return;
    start.hidden = false;
    start.querySelector("button").addEventListener("click", function () {
      start.hidden = true;
      runFinal();
    });
  }

  function runFinal() {
    var bank = Array.prototype.slice.call(document.querySelectorAll(".final-bank .q"));
    var count = site.final.count;
    var chosen = (site.final.shuffle ? shuffle(bank) : bank).slice(0, count);
    var form = document.querySelector(".final-form");
    var holder = form.querySelector(".final-questions");
    var result = document.querySelector(".final-result");
    var questions = chosen.map(function (section, i) {
      holder.appendChild(section); // moved, not copied, so ids stay unique
      section.querySelector(".q-number").textContent =
        format(t.question_n, { n: i + 1, total: chosen.length });
      var check = site.quiz.questions[section.getAttribute("data-qid")];
      return new Question(section, check, { exam: true });
    });
    form.hidden = false;
    var firstHeading = holder.querySelector(".q-number");
    if (firstHeading) {
      firstHeading.setAttribute("tabindex", "-1");
      firstHeading.focus();
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var missing = questions.filter(function (q) {
        return !q.answered();
      }).length;
      if (missing && !window.confirm(counted(t.unanswered, missing))) return;
      var correct = questions.filter(function (q) {
        return q.grade(false);
      }).length;
      questions.forEach(function (q) {
        q.retryButton.hidden = true;
      });
      form.querySelector(".q-actions").hidden = true;
      showFinalResult(result, correct, questions.length);
    });
  }

  function showFinalResult(result, correct, total) {
    var score = percent(correct, total);
    var passed = score >= site.final.pass_mark;
    var state = loadState();
    var previous = state.final || { best: 0, passed: false, attempts: 0 };
    state.final = {
      best: Math.max(previous.best, score),
      passed: previous.passed || passed,
      last: score,
      attempts: (previous.attempts || 0) + 1,
    };
    saveState(state);
    result.className = "final-result " + (passed ? "is-passed" : "is-failed");
    result.textContent = "";
    var summary = document.createElement("p");
    var verdict = passed ? t.passed : format(t.failed, { pass_mark: percentText(site.final.pass_mark) });
    summary.textContent =
      format(t.result, { score: percentText(score), correct: correct, total: total }) + " " + verdict;
    result.appendChild(summary);
    var again = document.createElement("button");
    again.type = "button";
    again.className = "button-secondary";
    again.textContent = t.try_again;
    again.addEventListener("click", function () {
      window.location.reload();
    });
    result.appendChild(again);
    result.scrollIntoView({ block: "center" });
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
