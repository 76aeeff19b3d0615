// letterflow review UI: progressive enhancement. Every page works without this file;
// with it, editor actions go through the JSON API (/api/...) without a page reload, the
// side panel shows suggestions, and the keyboard does everything (press ? for the list):
// Ctrl+Enter approve and next, Ctrl+S save draft, Alt+R reject, Alt+Down / Alt+Up next /
// previous entry, Alt+N next entry with a QA error, Alt+C copy the source, Alt+1..9 insert
// suggestion N, Alt+Shift+1..9 insert placeholder N, Alt+B back-translate, Alt+L entry list.
(function () {
  "use strict";

  var T = {};
  function fill(s, args) {
    Object.keys(args || {}).forEach(function (k) { s = s.split("%(" + k + ")s").join(args[k]); });
    return s;
  }

  function t(key, args) { return fill(T[key] || key, args); }

  // a counted message: T[key] holds one text per CLDR plural category (web/js_plurals.py),
  // the page's language picks the category of n; "%(n)s" becomes n
  function tn(key, n) {
    var forms = T[key] || {}, category = "other";
    try {
      category = new Intl.PluralRules(document.documentElement.lang).select(Number(n));
    } catch (e) { category = "other"; }
    return fill(forms[category] || forms.other || key, {n: n});
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function setText(el, text) { if (el) { el.textContent = text; } }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function inTextField(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" ||
      target.tagName === "SELECT" || target.isContentEditable);
  }

  function updateProgress(p) {
    if (!p || !p.available) { return; }
    document.querySelectorAll('.progress[data-lang="' + p.language + '"]').forEach(function (box) {
      box.dataset.approved = p.approved;
      box.dataset.draft = p.draft;
      box.dataset.untranslated = p.untranslated;
      box.dataset.total = p.total;
      box.dataset.qaErrors = p.qa_errors == null ? "?" : p.qa_errors;
      var total = p.total || 1;
      var a = 100 * p.approved / total, d = 100 * p.draft / total, u = 100 * p.untranslated / total;
      var ra = box.querySelector(".seg-approved"), rd = box.querySelector(".seg-draft"),
        ru = box.querySelector(".seg-untranslated");
      if (ra) { ra.setAttribute("width", a.toFixed(3)); }
      if (rd) { rd.setAttribute("x", a.toFixed(3)); rd.setAttribute("width", d.toFixed(3)); }
      if (ru) { ru.setAttribute("x", (a + d).toFixed(3)); ru.setAttribute("width", u.toFixed(3)); }
      setText(box.querySelector(".n-approved"), String(p.approved));
      setText(box.querySelector(".n-draft"), String(p.draft));
      setText(box.querySelector(".n-untranslated"), String(p.untranslated));
      setText(box.querySelector(".n-qa"), p.qa_errors == null ? "?" : String(p.qa_errors));
    });
  }

  function showFindings(list) {
    var ul = document.getElementById("findings");
    if (!ul) { return; }
    ul.textContent = "";
    if (!list || !list.length) {
      ul.appendChild(el("li", "none muted", t("no_findings")));
      return;
    }
    list.forEach(function (f) {
      var li = el("li", "finding " + f.severity);
      li.appendChild(el("span", "badge " + f.severity, f.severity_text || f.severity));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("strong", "", f.title || f.check_id));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("code", "check-id", f.check_id));  // (the id ignore flags name)
      li.appendChild(document.createTextNode(": " + (f.text || f.message)));
      ul.appendChild(li);
    });
  }

  // -- help overlay (every page) ------------------------------------------------------------
  function initHelp() {
    var box = document.getElementById("help");
    if (!box) { return; }
    var before = null;
    function open() {
      before = document.activeElement;
      box.hidden = false;
      document.getElementById("help-close").focus();
    }
    function close() {
      box.hidden = true;
      if (before && before.focus) { before.focus(); }
    }
    var opener = document.getElementById("help-open");
    if (opener) { opener.addEventListener("click", open); }
    document.getElementById("help-close").addEventListener("click", close);
    document.addEventListener("keydown", function (ev) {
      if (!box.hidden && ev.key === "Escape") { ev.preventDefault(); close(); return; }
      var helpKey = (ev.key === "?" && !inTextField(ev.target) && !ev.ctrlKey && !ev.altKey) ||
        (ev.altKey && !ev.ctrlKey && ev.code === "KeyH");
      if (helpKey) { ev.preventDefault(); if (box.hidden) { open(); } else { close(); } }
    });
  }

  // -- the editor ---------------------------------------------------------------------------
  function initEditor(form) {
    var status = document.getElementById("status");
    var errorBox = document.getElementById("error");
    var busy = false;
    var leaving = false;
    var pendingNav = null;
    var suggestions = [];
    var lang = (form.elements.t0 && form.elements.t0.lang) || "";
    var dir = (form.elements.t0 && form.elements.t0.dir) || "ltr";

    function boxes() {
      var out = [];
      for (var i = 0; form.elements["t" + i]; i++) { out.push(form.elements["t" + i]); }
      return out;
    }
    function strings() { return boxes().map(function (b) { return b.value; }); }
    function setStrings(list) {
      boxes().forEach(function (b, i) { if (list[i] !== undefined) { b.value = list[i]; } });
    }
    var saved = JSON.stringify(strings());
    function dirty() { return JSON.stringify(strings()) !== saved; }
    function markSaved() { saved = JSON.stringify(strings()); }

    var flash = window.sessionStorage && sessionStorage.getItem("lf-status");
    if (flash) { sessionStorage.removeItem("lf-status"); setText(status, flash); }

    window.addEventListener("beforeunload", function (ev) {
      if (dirty() && !leaving) { ev.preventDefault(); ev.returnValue = ""; }
    });

    function leave(href) {
      leaving = true;
      window.location.href = href;
    }

    function guardedLeave(href, key) {
      // Leaving with unsaved edits needs the same key twice (or a save first).
      if (!dirty() || pendingNav === key) { leave(href); return; }
      pendingNav = key;
      errorBox.hidden = false;
      errorBox.textContent = t("unsaved");
      setTimeout(function () { if (pendingNav === key) { pendingNav = null; } }, 6000);
    }

    function showError(text) {
      errorBox.hidden = false;
      errorBox.textContent = text;
    }

    function refreshPanels() {
      // The history and the entry list as the server has them now (after any answer,
      // 409 and 422 included: a refused or lost save is in the history too).
      fetch(window.location.pathname, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          ["history-body", "entry-list"].forEach(function (id) {
            var fresh = doc.getElementById(id), old = document.getElementById(id);
            if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
          });
        }).catch(function () { /* the page still works; a reload shows it */ });
    }

    function showConflict(data) {
      var old = document.getElementById("conflict");
      if (old) { old.remove(); }
      var c = data.conflict;
      var sec = el("section", "conflict");
      sec.id = "conflict";
      sec.appendChild(el("h2", "", t("conflict_title")));
      if (c.by) { sec.appendChild(el("p", "winner", t("conflict_by", {user: c.by, time: c.at}))); }
      var two = el("div", "two");
      [[t("theirs"), c.theirs, "theirs"], [t("yours", {n: c.kept_as}), c.yours, "yours"]]
        .forEach(function (pair) {
          var col = el("div");
          col.appendChild(el("h3", "", pair[0]));
          pair[1].forEach(function (s) {
            var pre = el("pre", "text " + pair[2], s);
            pre.lang = lang;
            pre.dir = dir;
            col.appendChild(pre);
          });
          two.appendChild(col);
        });
      sec.appendChild(two);
      var p = el("p", "buttons");
      var theirs = el("button", "", t("use_theirs"));
      theirs.type = "button";
      theirs.id = "use-theirs";
      theirs.addEventListener("click", function () {
        setStrings(c.theirs);
        markSaved();
        sec.remove();
        errorBox.hidden = true;
        setText(status, t("using_theirs"));
        form.elements.t0.focus();
      });
      var mine = el("button", "", t("keep_mine"));
      mine.type = "button";
      mine.id = "keep-mine";
      mine.addEventListener("click", function () { setStrings(c.yours); send("save", false); });
      p.appendChild(theirs);
      p.appendChild(mine);
      sec.appendChild(p);
      form.parentNode.insertBefore(sec, form);
      theirs.focus();
    }

    var DONE = {save: "saved", approve: "approved", reject: "rejected", revert: "reverted"};

    function send(action, goNext) {
      if (busy) { return; }
      busy = true;
      var body = {action: action, base_revision: form.elements.revision.value};
      var m = /^revert:(\d+):(after|before)$/.exec(action);
      if (m) {
        body.action = "revert";
        body.version = parseInt(m[1], 10);
        body.which = m[2];
      } else if (action !== "reject") {
        body.strings = strings();
      }
      var sent = strings();
      setText(status, t("saving"));
      fetch(form.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(),
                  "Accept": "application/json"},
        body: JSON.stringify(body)
      }).then(function (resp) {
        return resp.json().then(function (data) { return {status: resp.status, data: data}; },
          function () { return {status: resp.status, data: {error: t("error") + " " + resp.status}}; });
      }).then(function (r) {
        busy = false;
        pendingNav = null;
        var d = r.data;
        if (d.revision) { form.elements.revision.value = d.revision; }
        if (d.entry) {
          var badge = document.getElementById("state");
          if (badge) {
            badge.textContent = T["state_" + d.entry.state] || d.entry.state;
            badge.className = "badge " + d.entry.state;
            badge.dataset.state = d.entry.state;
          }
          setText(document.getElementById("provenance"), d.entry.provenance || "");
        }
        if (d.findings) { showFindings(d.findings); }
        if (d.progress) { updateProgress(d.progress); }
        refreshPanels();
        if (r.status === 200) {
          errorBox.hidden = true;
          var old = document.getElementById("conflict");
          if (old) { old.remove(); }
          if (body.action === "reject" || body.action === "revert") { setStrings(d.entry.strings); }
          markSaved();
          var msg = d.unchanged ? t("unchanged") : t(DONE[body.action]);
          setText(status, msg);
          if (goNext) {
            if (window.sessionStorage) {
              sessionStorage.setItem("lf-status", d.unchanged ? msg :
                t("approved_entry", {entry: form.dataset.context}));
            }
            leave(form.dataset.nextOpen || form.dataset.queue);
          }
          return;
        }
        if (r.status === 422) {
          if (d.saved_draft) { saved = JSON.stringify(sent); }
          setText(status, d.saved_draft ? t("kept_draft") : t("refused_nothing"));
        } else {
          setText(status, "");
        }
        showError(d.error || (t("error") + " " + r.status));
        if (r.status === 409 && d.conflict) { showConflict(d); }
      }).catch(function () {
        busy = false;
        fallback(action === "approve" && goNext ? "approve_next" : action);
      });
    }

    function fallback(action) {
      // Let the server-rendered form handle it (no JS path).
      var input = el("input");
      input.type = "hidden";
      input.name = "action";
      input.value = action;
      form.appendChild(input);
      leaving = true;
      HTMLFormElement.prototype.submit.call(form);
    }

    function backTranslate() {
      var box = document.getElementById("back-result");
      if (!box) { return; }
      box.textContent = t("back_busy");
      fetch(form.dataset.back, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(),
                  "Accept": "application/json"},
        body: JSON.stringify({context: form.dataset.context, strings: strings()})
      }).then(function (resp) { return resp.json(); }).then(function (d) {
        box.textContent = "";
        if (!d.ok) { box.appendChild(el("p", "error", d.error || t("back_failed"))); return; }
        d.back_translation.forEach(function (s) {
          var p = el("p", "back-text", s);
          p.lang = "en";
          box.appendChild(p);
        });
      }).catch(function () { box.textContent = t("back_failed"); });
    }

    function insertAtCursor(text) {
      var ta = document.activeElement && document.activeElement.classList &&
        document.activeElement.classList.contains("translation") ? document.activeElement : form.elements.t0;
      var start = ta.selectionStart, end = ta.selectionEnd;
      ta.setRangeText(text, start, end, "end");
      ta.focus();
    }

    function currentBox() {
      var a = document.activeElement;
      return a && a.classList && a.classList.contains("translation") ? a : form.elements.t0;
    }

    function useSuggestion(n) {
      var s = suggestions[n - 1];
      if (!s) { return; }
      if (s.scope === "sentence") { insertAtCursor(s.target); return; }  // one sentence
      var all = boxes();
      if (s.forms && s.forms.length === all.length && all.length > 1) {
        all.forEach(function (b, i) { b.value = s.forms[i]; });  // every plural form
        all[0].focus();
        return;
      }
      var ta = currentBox();
      ta.value = s.target;
      ta.focus();
    }

    function loadSuggestions() {
      var list = document.getElementById("suggestions");
      if (list && list.dataset.loaded === "1") {
        // rendered by the server (the page works without JS): read them, wire the buttons
        suggestions = Array.prototype.map.call(list.querySelectorAll("li.suggestion"), function (li, i) {
          var forms = [];
          try { forms = JSON.parse(li.dataset.forms || "[]"); } catch (e) { forms = []; }
          var btn = li.querySelector("button.s-insert");
          if (btn) {
            btn.hidden = false;
            btn.addEventListener("click", function () { useSuggestion(i + 1); });
          }
          return {target: li.dataset.target || "", forms: forms, scope: li.dataset.scope};
        });
        return;
      }
      if (!list || !form.dataset.suggest) { return; }
      fetch(form.dataset.suggest, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
        .then(function (d) {
          // the TM endpoint answers {memory, mt}; the cached-MT fallback {suggestions}
          suggestions = (d.suggestions || [].concat(d.memory || [], d.mt || [])).slice(0, 9);
          list.textContent = "";
          if (!suggestions.length) { list.appendChild(el("li", "muted", t("no_suggestions"))); return; }
          suggestions.forEach(function (s, i) {
            var li = el("li", "suggestion");
            var text = el("span", "s-text", s.target);
            text.lang = lang;
            text.dir = dir;
            var meta = el("span", "s-meta", s.provenance || ((s.origin || "") +
              (s.score !== null && s.score !== undefined ? " · " + s.score + "%" : "")));
            var btn = el("button", "small", t("insert") + " (Alt+" + (i + 1) + ")");
            btn.type = "button";
            btn.setAttribute("aria-keyshortcuts", "Alt+" + (i + 1));
            btn.addEventListener("click", function () { useSuggestion(i + 1); });
            li.appendChild(text);
            li.appendChild(meta);
            li.appendChild(btn);
            list.appendChild(li);
          });
        }).catch(function () { list.textContent = ""; });
    }

    function copySource() {
      boxes().forEach(function (b, i) {
        var src = document.getElementById(i === 0 ? "src0" : "src1") || document.getElementById("src0");
        b.value = src.textContent.replace(/^\s*plural:\s*/, "").trim();
      });
      setText(status, t("copied"));
      form.elements.t0.focus();
    }

    function nextError() {
      var items = Array.prototype.slice.call(document.querySelectorAll("#entry-list li"));
      var i = items.findIndex(function (li) { return li.classList.contains("current"); });
      for (var k = 1; k <= items.length; k++) {
        var li = items[(i + k) % items.length];
        if (li.dataset.qa === "error" && !li.classList.contains("current")) {
          guardedLeave(li.querySelector("a").href, "N");
          return;
        }
      }
      setText(status, t("no_error_left"));
    }

    form.addEventListener("submit", function (ev) {
      var btn = ev.submitter;
      var action = btn && btn.name === "action" ? btn.value : "save";
      ev.preventDefault();
      if (action === "backtranslate") { backTranslate(); return; }
      if (action === "approve_next") { send("approve", true); } else { send(action, false); }
    });

    document.querySelectorAll(".chip").forEach(function (chip) {
      chip.addEventListener("click", function () { insertAtCursor(chip.dataset.insert); });
    });
    document.querySelectorAll("#entry-list a, #prev-link, #next-link").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        if (dirty()) { ev.preventDefault(); guardedLeave(a.href, "click:" + a.href); }
      });
    });

    document.addEventListener("keydown", function (ev) {
      var ctrl = ev.ctrlKey || ev.metaKey;
      if (ctrl && ev.key === "Enter") { ev.preventDefault(); send("approve", true); return; }
      if (ctrl && (ev.key === "s" || ev.key === "S")) { ev.preventDefault(); send("save", false); return; }
      if (!ev.altKey || ctrl) { return; }
      var digit = /^Digit([1-9])$/.exec(ev.code);
      if (digit && ev.shiftKey) {
        var chip = document.querySelectorAll(".chip")[parseInt(digit[1], 10) - 1];
        if (chip) { ev.preventDefault(); insertAtCursor(chip.dataset.insert); }
        return;
      }
      if (digit) { ev.preventDefault(); useSuggestion(parseInt(digit[1], 10)); return; }
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        var link = document.getElementById(ev.key === "ArrowDown" ? "next-link" : "prev-link");
        ev.preventDefault();
        if (link) { guardedLeave(link.href, ev.key); }
        return;
      }
      var code = ev.code;
      if (code === "KeyR") { ev.preventDefault(); send("reject", false); }
      else if (code === "KeyC") { ev.preventDefault(); copySource(); }
      else if (code === "KeyN") { ev.preventDefault(); nextError(); }
      else if (code === "KeyB") { ev.preventDefault(); backTranslate(); }
      else if (code === "KeyL") {
        ev.preventDefault();
        var box = document.getElementById("list-box");
        if (box) { box.open = true; }
        var cur = document.querySelector("#entry-list li.current a") ||
          document.querySelector("#entry-list a");
        if (cur) { cur.focus(); }
      }
    });

    loadSuggestions();
  }

  // -- the export page: send the form with fetch, so a refused export keeps the chosen file
  function initExport(form) {
    var errorBox = document.getElementById("export-error");
    var status = document.getElementById("export-status");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var data = new FormData(form);
      if (ev.submitter && ev.submitter.name === "dry_run") { data.append("dry_run", "1"); }
      errorBox.hidden = true;            // a stale error never stays after a retry
      errorBox.textContent = "";
      setText(status, t("export_busy"));
      fetch(form.action, {method: "POST", body: data, credentials: "same-origin",
                          headers: {"X-CSRFToken": csrfToken()}})
        .then(function (resp) {
          var type = resp.headers.get("Content-Type") || "";
          if (resp.ok && type.indexOf("application/zip") === 0) {
            var n = resp.headers.get("X-Letterflow-Letters") || "?";
            return resp.blob().then(function (blob) {
              var a = el("a");
              a.href = URL.createObjectURL(blob);
              a.download = "letters.zip";
              document.body.appendChild(a);
              a.click();
              a.remove();
              var skipped = resp.headers.get("X-Letterflow-Skipped") || "0";
              setText(status, tn("export_done", n) + (skipped !== "0"
                ? " " + tn("export_skipped", skipped) : ""));
            });
          }
          return resp.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            ["export-error", "dry-run"].forEach(function (id) {
              var fresh = doc.getElementById(id), old = document.getElementById(id);
              if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
            });
            errorBox = document.getElementById("export-error");
            setText(status, "");
          });
        }).catch(function () { HTMLFormElement.prototype.submit.call(form); });
    });
  }

  function initQueue() {
    document.addEventListener("keydown", function (ev) {
      if (!ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") { return; }
      var links = Array.prototype.slice.call(document.querySelectorAll("a.entry-link"));
      if (!links.length) { return; }
      ev.preventDefault();
      var i = links.indexOf(document.activeElement);
      i = ev.key === "ArrowDown" ? Math.min(i + 1, links.length - 1) : Math.max(i - 1, 0);
      links[i].focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    try { T = JSON.parse(document.body.dataset.strings || "{}"); } catch (e) { T = {}; }
    initHelp();
    var form = document.getElementById("entry-form");
    if (form && window.fetch) { initEditor(form); } else { initQueue(); }
    var exportForm = document.getElementById("export-form");
    if (exportForm && window.fetch && window.FormData) { initExport(exportForm); }
  });
}());
