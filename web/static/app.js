// letterflow review UI: progressive enhancement. Every page works without this file;
// with it, editor actions go through the JSON API (/api/...) without a page reload,
// and keyboard shortcuts work: Ctrl+Enter approve and next, Ctrl+S save draft,
// Alt+Down / Alt+Up next / previous entry.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function setText(el, text) { if (el) { el.textContent = text; } }

  function updateProgress(p) {
    if (!p || !p.available) { return; }
    document.querySelectorAll('.progress[data-lang="' + p.language + '"]').forEach(function (box) {
      box.dataset.approved = p.approved;
      box.dataset.draft = p.draft;
      box.dataset.untranslated = p.untranslated;
      box.dataset.total = p.total;
      box.dataset.qaErrors = p.qa_errors == null ? "?" : p.qa_errors;
      var t = p.total || 1;
      var a = 100 * p.approved / t, d = 100 * p.draft / t, u = 100 * p.untranslated / t;
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
      var li = document.createElement("li");
      li.className = "none muted";
      li.textContent = "No findings.";
      ul.appendChild(li);
      return;
    }
    list.forEach(function (f) {
      var li = document.createElement("li");
      li.className = "finding " + f.severity;
      var badge = document.createElement("span");
      badge.className = "badge " + f.severity;
      badge.textContent = f.severity;
      var strong = document.createElement("strong");
      strong.textContent = f.check_id;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(strong);
      li.appendChild(document.createTextNode(": " + f.message));
      ul.appendChild(li);
    });
  }

  function showConflict(form, data) {
    var old = document.getElementById("conflict");
    if (old) { old.remove(); }
    var sec = document.createElement("section");
    sec.id = "conflict";
    sec.className = "conflict";
    var h = document.createElement("h2");
    h.textContent = "Conflict: this entry changed while you were editing";
    sec.appendChild(h);
    var two = document.createElement("div");
    two.className = "two";
    [["Current text (saved by someone else)", data.conflict.theirs],
     ["Your text (kept in the history, version " + data.conflict.kept_as + ")", data.conflict.yours]]
      .forEach(function (pair) {
        var col = document.createElement("div");
        var h3 = document.createElement("h3");
        h3.textContent = pair[0];
        col.appendChild(h3);
        pair[1].forEach(function (s) {
          var pre = document.createElement("pre");
          pre.className = "text";
          pre.textContent = s;
          col.appendChild(pre);
        });
        two.appendChild(col);
      });
    sec.appendChild(two);
    var p = document.createElement("p");
    p.textContent = "Your text stays in the editor; saving it now replaces the current text.";
    sec.appendChild(p);
    form.parentNode.insertBefore(sec, form);
  }

  function initEditor(form) {
    var status = document.getElementById("status");
    var errorBox = document.getElementById("error");
    var busy = false;

    function strings() {
      var out = [];
      for (var i = 0; ; i++) {
        var ta = form.elements["t" + i];
        if (!ta) { break; }
        out.push(ta.value);
      }
      return out;
    }

    function fallback(action) {
      // Let the server-rendered form handle it (no JS path).
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "action";
      input.value = action;
      form.appendChild(input);
      HTMLFormElement.prototype.submit.call(form);
    }

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
      setText(status, "Saving…");
      fetch(form.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(),
                  "Accept": "application/json"},
        body: JSON.stringify(body)
      }).then(function (resp) {
        return resp.json().then(function (data) { return {status: resp.status, data: data}; },
          function () { return {status: resp.status, data: {error: "HTTP " + resp.status}}; });
      }).then(function (r) {
        busy = false;
        var d = r.data;
        if (d.revision) { form.elements.revision.value = d.revision; }
        if (d.entry) {
          var badge = document.getElementById("state");
          if (badge) { badge.textContent = d.entry.state; badge.className = "badge " + d.entry.state; }
          setText(document.getElementById("provenance"), d.entry.provenance || "");
        }
        if (d.findings) { showFindings(d.findings); }
        if (d.progress) { updateProgress(d.progress); }
        if (r.status === 200) {
          errorBox.hidden = true;
          var old = document.getElementById("conflict");
          if (old) { old.remove(); }
          if (body.action === "reject" || body.action === "revert") {
            d.entry.strings.forEach(function (s, i) {
              if (form.elements["t" + i]) { form.elements["t" + i].value = s; }
            });
          }
          setText(status, {save: "Saved as draft.", approve: "Approved.",
            reject: "Rejected: back to untranslated (the old text is in the history).",
            revert: "Reverted: the restored text is a draft again."}[body.action]);
          if (goNext) {
            window.location.href = form.dataset.nextOpen || form.dataset.queue;
          } else if (body.action === "revert" || body.action === "reject") {
            window.location.reload();
          }
          return;
        }
        setText(status, "");
        errorBox.hidden = false;
        errorBox.textContent = d.error || ("Error " + r.status);
        if (r.status === 409 && d.conflict) { showConflict(form, d); }
      }).catch(function () {
        busy = false;
        fallback(action === "approve" && goNext ? "approve_next" : action);
      });
    }

    form.addEventListener("submit", function (ev) {
      var btn = ev.submitter;
      var action = btn && btn.name === "action" ? btn.value : "save";
      ev.preventDefault();
      if (action === "approve_next") { send("approve", true); } else { send(action, false); }
    });

    document.addEventListener("keydown", function (ev) {
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
        ev.preventDefault();
        send("approve", true);
      } else if ((ev.ctrlKey || ev.metaKey) && (ev.key === "s" || ev.key === "S")) {
        ev.preventDefault();
        send("save", false);
      }
    });

    var backLink = document.getElementById("back-link");
    var backBox = document.getElementById("back-result");
    if (backLink && backBox) {
      backLink.addEventListener("click", function (ev) {
        ev.preventDefault();
        backBox.textContent = "Translating back…";
        fetch(form.dataset.back, {credentials: "same-origin",
          headers: {"Accept": "application/json"}})
          .then(function (resp) { return resp.json(); })
          .then(function (d) {
            backBox.textContent = "";
            if (!d.ok) {
              var e = document.createElement("p");
              e.className = "error";
              e.textContent = d.error || "Back-translation failed.";
              backBox.appendChild(e);
              return;
            }
            d.back_translation.forEach(function (s) {
              var p = document.createElement("p");
              p.className = "back-text";
              p.lang = "en";
              p.textContent = s;
              backBox.appendChild(p);
            });
          })
          .catch(function () { window.location.href = backLink.href; });
      });
    }
  }

  function initNavigation() {
    document.addEventListener("keydown", function (ev) {
      if (!ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      var id = ev.key === "ArrowDown" ? "next-link" : ev.key === "ArrowUp" ? "prev-link" : null;
      if (!id) { return; }
      var link = document.getElementById(id);
      if (link) { ev.preventDefault(); window.location.href = link.href; return; }
      // In the queue: move the focus between entries.
      var links = Array.prototype.slice.call(document.querySelectorAll("a.entry-link"));
      if (!links.length) { return; }
      ev.preventDefault();
      var i = links.indexOf(document.activeElement);
      i = ev.key === "ArrowDown" ? Math.min(i + 1, links.length - 1) : Math.max(i - 1, 0);
      links[i].focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("entry-form");
    if (form && window.fetch) { initEditor(form); }
    initNavigation();
  });
}());
