/* coursegen SCORM 1.2 launch page: one LMS session for the whole course.
 *
 * It finds the LMS's API as the SCORM 1.2 run-time environment describes, opens the session
 * once, shows the course in a frame and closes the session when this page is left, so moving
 * between the course's pages never ends it. The pages find `window.coursegenHost` through
 * their frameElement (see course.js): it keeps their progress in cmi.suspend_data instead of
 * localStorage and reports status, score and one interaction per graded question. Without an
 * LMS this page simply opens the course, which then works as the plain HTML course does. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("cg-scorm").textContent);
  var frame = document.getElementById("cg-course");
  var MAX_SUSPEND = 4096; // SCORM 1.2's CMIString4096
  var MAX_TEXT = 255; // CMIString255, CMIFeedback, CMIIdentifier
  var NAMES = "abcdefghijklmnopqrstuvwxyz0123456789"; // single characters that name choices
  var TYPES = {
    single_choice: "choice",
    multiple_response: "choice",
    true_false: "true-false",
    short_answer: "fill-in",
    cloze: "fill-in",
    matching: "matching",
    ordering: "sequencing",
    numeric: "numeric",
  };

  var questions = {}; // question id -> { ident, module }
  data.questions.forEach(function (entry) {
    questions[entry[0]] = { ident: entry[1], module: entry[2] };
  });

  /* ---- the LMS's API ---------------------------------------------------------------- */

  /* Walk up from `win` through its parents, as the SCORM 1.2 RTE's findAPI does. */
  function apiAbove(win) {
    for (var depth = 0; win && depth < 10; depth += 1) {
      try {
        if (win.API) return win.API;
      } catch (error) {
        /* a window of another origin: its API is not ours to use; look further up */
      }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  function findAPI() {
    return apiAbove(window) || (window.opener ? apiAbove(window.opener) : null);
  }

  /* The LMS, called defensively: a failing LMS must never break the course. */
  function Lms(api) {
    this.api = api;
  }

  Lms.prototype.call = function (name, args) {
    try {
      return String(this.api[name].apply(this.api, args));
    } catch (error) {
      return "";
    }
  };

  Lms.prototype.get = function (element) {
    return this.call("LMSGetValue", [element]);
  };

  Lms.prototype.set = function (element, value) {
    return this.call("LMSSetValue", [element, String(value)]) === "true";
  };

  /* ---- progress in cmi.suspend_data --------------------------------------------------- */

  function emptyState() {
    return { answers: {}, best: {}, final: null };
  }

  /* Read what encode() wrote; anything else (another package, a damaged value) is ignored. */
  function decode(text) {
    var state = emptyState();
    var saved;
    try {
      saved = JSON.parse(text);
    } catch (error) {
      return state;
    }
    if (!saved || saved.v !== 1) return state;
    Object.keys(saved.a || {}).forEach(function (qid) {
      var entry = saved.a[qid];
      if (!questions[qid] || !Array.isArray(entry)) return;
      var answer = { module: questions[qid].module, correct: entry[0] === 1 };
      if (entry.length > 1) answer.response = entry[1];
      state.answers[qid] = answer;
    });
    Object.keys(saved.b || {}).forEach(function (module) {
      if (typeof saved.b[module] === "number") state.best[module] = saved.b[module];
    });
    var f = saved.f;
    if (Array.isArray(f) && f.length === 4) {
      state.final = { best: f[0], passed: f[1] === 1, last: f[2], attempts: f[3] };
    }
    return state;
  }

  /* Compact JSON of the progress, at most 4096 characters. When it would be longer, the
   * learner's responses are left out first, longest first (the question still counts as
   * answered, right or wrong); then whole answers, from the end of the course. The best
   * score of each module and the final assessment's result are always kept. */
  function encode(state) {
    var answers = {};
    var order = data.questions.map(function (entry) {
      return entry[0];
    });
    order.forEach(function (qid) {
      var answer = state.answers[qid];
      if (!answer) return;
      answers[qid] = [answer.correct ? 1 : 0];
      if (answer.response !== undefined) answers[qid].push(answer.response);
    });
    var final = state.final;
    var saved = {
      v: 1,
      a: answers,
      b: state.best || {},
      f: final ? [final.best, final.passed ? 1 : 0, final.last, final.attempts] : null,
    };
    var length = JSON.stringify(saved).length;
    var answered = order.filter(function (qid) {
      return answers[qid];
    });
    var byResponse = answered.slice().sort(function (x, y) {
      return JSON.stringify(answers[y]).length - JSON.stringify(answers[x]).length;
    });
    for (var i = 0; length > MAX_SUSPEND && i < byResponse.length; i += 1) {
      var entry = answers[byResponse[i]];
      if (entry.length < 2) continue;
      length -= JSON.stringify(entry).length - JSON.stringify([entry[0]]).length;
      answers[byResponse[i]] = [entry[0]];
    }
    while (length > MAX_SUSPEND && answered.length) {
      var qid = answered.pop();
      length -= JSON.stringify(qid).length + 1 + JSON.stringify(answers[qid]).length + 1;
      delete answers[qid];
    }
    return JSON.stringify(saved);
  }

  /* ---- interactions, in SCORM 1.2's response formats ---------------------------------- */

  function clip(text) {
    return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  }

  /* Options, pairs and items are named a, b, c... in authored order (o1 -> a, r2 -> b). */
  function nameOf(index) {
    return index >= 0 && index < NAMES.length ? NAMES.charAt(index) : String(index + 1);
  }

  function nameOfKey(key) {
    return key ? nameOf(parseInt(String(key).slice(1), 10) - 1) : "";
  }

  function pairs(keys) {
    return keys
      .map(function (key, i) {
        return key ? nameOf(i) + "." + nameOfKey(key) : "";
      })
      .filter(Boolean)
      .join(",");
  }

  function responseText(kind, response) {
    switch (kind) {
      case "single_choice":
      case "multiple_response":
        return response.map(nameOfKey).sort().join(",");
      case "true_false":
        return response[0] === "true" ? "t" : response[0] === "false" ? "f" : "";
      case "short_answer":
        return String(response).trim();
      case "cloze":
        return response.map(function (gap) {
          return String(gap).trim();
        }).join(",");
      case "matching":
        return pairs(response);
      case "ordering":
        return response.map(nameOfKey).join(",");
    }
    return "";
  }

  function correctPattern(kind, check) {
    switch (kind) {
      case "single_choice":
      case "multiple_response":
        return check.correct.map(nameOfKey).sort().join(",");
      case "true_false":
        return check.correct[0] === "true" ? "t" : "f";
      case "short_answer":
        return check.answers[0];
      case "cloze":
        return check.gaps.map(function (accepted) {
          return accepted[0];
        }).join(",");
      case "matching":
        return pairs(check.pairs);
      case "ordering":
        return check.order.map(nameOfKey).join(",");
      case "numeric": // SCORM 1.2's numeric pattern is one number: the right figure
        return check.answers.filter(function (a) { return a.correct; })[0].value;
    }
    return "";
  }

  function clockTime() {
    var now = new Date();
    return [now.getHours(), now.getMinutes(), now.getSeconds()].map(twoDigits).join(":");
  }

  function twoDigits(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /* CMITimespan: HHHH:MM:SS. */
  function timespan(milliseconds) {
    var seconds = Math.floor(milliseconds / 1000);
    var hours = Math.min(Math.floor(seconds / 3600), 9999);
    return [hours, Math.floor(seconds / 60) % 60, seconds % 60].map(twoDigits).join(":");
  }

  /* ---- the session -------------------------------------------------------------------- */

  function Session(lms) {
    this.lms = lms;
    this.started = Date.now();
    this.finished = false;
    this.entries = {}; // "quiz:<id>" or "final:<id>" -> interaction index in this session
    this.count = parseInt(lms.get("cmi.interactions._count"), 10) || 0;
    var mastery = parseFloat(lms.get("cmi.student_data.mastery_score"));
    this.mastery = mastery >= 0 && mastery <= 100 ? mastery : data.pass_mark;
    this.status = lms.get("cmi.core.lesson_status");
    if (this.status === "" || this.status === "not attempted") {
      this.status = "incomplete";
      lms.set("cmi.core.lesson_status", this.status);
    }
    lms.set("cmi.core.score.min", "0");
    lms.set("cmi.core.score.max", "100");
    this.state = decode(lms.get("cmi.suspend_data"));
  }

  /* What course.js calls instead of localStorage, and with each graded answer. */
  Session.prototype.host = function () {
    var session = this;
    return {
      getItem: function () {
        return JSON.stringify(session.state);
      },
      setItem: function (key, value) {
        session.store(decode(encode(JSON.parse(value))));
      },
      removeItem: function () {
        session.store(emptyState());
      },
      graded: function (answer) {
        session.report(answer);
      },
    };
  };

  /* Keep the progress, and once the final assessment is taken, its score and status. */
  Session.prototype.store = function (state) {
    var lms = this.lms;
    this.state = state;
    lms.set("cmi.suspend_data", encode(state));
    if (state.final) {
      var score = Math.max(0, Math.min(100, Math.round(state.final.best)));
      this.status = score >= this.mastery ? "passed" : "failed";
      lms.set("cmi.core.score.raw", score);
      lms.set("cmi.core.lesson_status", this.status);
    }
    lms.call("LMSCommit", [""]);
  };

  /* One interaction per graded question: a second check of it in this session rewrites it. */
  Session.prototype.report = function (answer) {
    var question = questions[answer.id];
    if (!question || question.ident.length > MAX_TEXT) return; // the build warned about it
    var key = (answer.final ? "final:" : "quiz:") + answer.id;
    if (!(key in this.entries)) {
      this.entries[key] = this.count;
      this.count += 1;
    }
    var prefix = "cmi.interactions." + this.entries[key] + ".";
    var lms = this.lms;
    lms.set(prefix + "id", question.ident);
    lms.set(prefix + "type", TYPES[answer.kind]);
    lms.set(prefix + "time", clockTime());
    // A typed figure is sent as the page read it (Latin digits, "." for decimals), as a
    // CMIDecimal must be; other responses are named from what was chosen or typed.
    var given = answer.reported !== null && answer.reported !== undefined ? answer.reported
      : responseText(answer.kind, answer.response);
    lms.set(prefix + "student_response", clip(given));
    lms.set(prefix + "result", answer.correct ? "correct" : "wrong");
    lms.set(prefix + "correct_responses.0.pattern", clip(correctPattern(answer.kind, answer.check)));
  };

  /* Where the learner is, so the next launch opens the same page. */
  Session.prototype.remember = function () {
    var page;
    try {
      page = frame.contentWindow.location.pathname.split("/").pop();
    } catch (error) {
      return; // a page of another site, opened from a link
    }
    if (data.pages.indexOf(page) >= 0) this.lms.set("cmi.core.lesson_location", page);
  };

  Session.prototype.startPage = function () {
    var page = this.lms.get("cmi.core.lesson_location");
    return data.pages.indexOf(page) >= 0 ? page : data.start;
  };

  Session.prototype.finish = function () {
    if (this.finished) return;
    this.finished = true;
    var lms = this.lms;
    lms.set("cmi.core.session_time", timespan(Date.now() - this.started));
    // "suspend" keeps the attempt open with its suspend_data; a passed course is done.
    lms.set("cmi.core.exit", this.status === "passed" ? "" : "suspend");
    lms.call("LMSCommit", [""]);
    lms.call("LMSFinish", [""]);
  };

  function start() {
    var api = findAPI();
    var lms = api && new Lms(api);
    if (!lms || lms.call("LMSInitialize", [""]) !== "true") {
      window.location.replace(data.start); // no LMS: the course as plain pages
      return;
    }
    var session = new Session(lms);
    window.coursegenHost = session.host();
    frame.addEventListener("load", function () {
      session.remember();
    });
    var leave = function () {
      session.finish();
    };
    window.addEventListener("pagehide", leave);
    if (!("onpagehide" in window)) window.addEventListener("unload", leave);
    frame.src = session.startPage();
  }

  start();
})();
