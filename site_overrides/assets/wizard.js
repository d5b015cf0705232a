/* The decision aid's renderer: draw the question or the answer that Python decided, and keep the
   answers in the URL.

   Nothing about any protocol is decided here, and no wording lives here. Which question comes next,
   its choices, hint and error, what an answer changes, and the "Your answers" rows come from
   generator/core/questions.py; the answer from generator/core/engine.py; the words from the message
   catalogue (generator/core/catalogue/), all via bundle.json and the Pyodide worker (wizard-worker.js).
   The screens before the first date are in bundle.json ("flow.screens", decided by the same Python at
   build time), so the first questions are usable before Python has started.
*/
(function () {
  "use strict";

  const root = document.getElementById("wizard");
  if (!root) return;
  const screen = document.getElementById("wz-screen");
  const statusBox = document.getElementById("wz-status");
  const intro = root.querySelector("[data-wz-intro]");
  const bundleUrl = new URL(root.dataset.bundle, location.href);
  const workerUrl = new URL(root.dataset.worker, location.href);
  const siteRoot = new URL(root.dataset.siteRoot, location.href);
  const baseTitle = document.title;

  let bundle = null;
  let WORDS = null;  // the page's words (bundle.json "words"), from the one message catalogue
  let KEYS = [];  // every answer's key, in the flow's order (bundle.json "flow.keys")
  let engineApi = null;
  let renderToken = 0;

  screen.querySelectorAll("[data-wz-js-only]").forEach((el) => { el.hidden = false; });

  // By the content address the build gave it (generator/views/offline.py), like the bundle's.
  const checksumsUrl = new URL(root.dataset.checksums || "checksums.json", root.dataset.checksums ? location.href : bundleUrl);
  // The bundle is checked against the sum written when the site was built (as the worker checks it and
  // the engine): a damaged file gets a plain message, not a half-drawn page.
  const bundleText = Promise.all([fetch(bundleUrl), fetch(checksumsUrl).catch(() => null)])
    .then(async ([response, sums]) => {
      if (!response.ok) throw new Error(`The decision aid's data (${bundleUrl.pathname}) could not be loaded.`);
      const bytes = await response.arrayBuffer();
      const known = sums && sums.ok ? await sums.json().catch(() => ({})) : {};
      if (window.crypto && crypto.subtle) {
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
        if (hex !== known["bundle.json"]) {
          throw new Error(`The decision aid's data (${bundleUrl.pathname}) is damaged: it is not the file this site `
                          + "was built with. Reload the page; if this message comes back, tell the site's publisher.");
        }
      }
      return new TextDecoder("utf-8").decode(bytes);
    });
  const engine = startEngine();
  engine.then((api) => { engineApi = api; }, () => {});

  bundleText.then((text) => {
    bundle = JSON.parse(text);
    WORDS = bundle.words;
    KEYS = bundle.flow.keys;
    document.querySelectorAll("template").forEach((tpl) => {
      tpl.content.querySelectorAll("[data-word]").forEach((el) => { el.textContent = WORDS[el.dataset.word]; });
    });
    render();
  }).catch((error) => showFailed(error, null));

  window.addEventListener("popstate", () => { if (bundle) render(); });
  screen.addEventListener("click", onClick);

  /* ---- Python ------------------------------------------------------------------------------ */

  // Python runs in assets/wizard-worker.js, started by next.html's first <script> so that Pyodide
  // downloads and compiles off this thread while the questions are drawn; this only talks to it.
  function startEngine() {
    if (typeof WebAssembly !== "object") return Promise.reject(new Error("This browser does not run WebAssembly."));
    if (location.protocol === "file:") return Promise.reject(new Error("The page was opened from a saved file."));
    if (typeof Worker !== "function") {
      return Promise.reject(new Error("This browser cannot run scripts in the background (Web Workers)."));
    }
    const cantStart = new Error(`The decision aid's engine (${workerUrl.pathname}) could not be started.`);
    let worker = window.wizardWorker;
    if (!worker) {
      try {
        worker = new Worker(workerUrl, { type: "module" });
      } catch (error) {
        return Promise.reject(cantStart);
      }
    }
    const pending = new Map();
    let lastId = 0;
    let broken = worker.wizardFailed ? cantStart : null;
    worker.addEventListener("error", () => {
      broken = cantStart;
      for (const waiting of pending.values()) waiting.reject(cantStart);
      pending.clear();
    });
    worker.addEventListener("message", (event) => {
      const waiting = pending.get(event.data.id);
      if (!waiting) return;
      pending.delete(event.data.id);
      waiting.resolve(event.data);
    });
    const ask = (message) => new Promise((resolve, reject) => {
      if (broken) return reject(broken);
      lastId += 1;
      pending.set(lastId, { resolve, reject });
      worker.postMessage({ id: lastId, ...message });
    });
    return ask({}).then((reply) => {
      if (reply.failed) throw new Error(reply.failed);
      // The worker's own milestones, on this page's clock, for benchmarks/wizard.py.
      for (const [name, epoch] of Object.entries(reply.timings || {})) {
        performance.mark(`wz-${name.replace(/_/g, "-")}`, { startTime: epoch - performance.timeOrigin });
      }
      performance.mark("wz-engine-ready");
      const call = async (message) => {
        const reply = await ask(message);
        if (reply.failed || reply.error) throw new Error(reply.failed || reply.error);
        return JSON.parse(reply.result);
      };
      return {
        answer: (protocolId, answers) => call({ protocol: protocolId, answers }),
        flow: (answers, askId) => call({ flow: { answers, ask: askId } }),
      };
    });
  }

  /* ---- the answers in the URL -------------------------------------------------------------- */

  function readState() {
    const query = new URLSearchParams(location.search);
    const answers = {};
    for (const key of KEYS) {
      const value = query.get(key);
      if (value !== null) answers[key] = value;
    }
    return { answers, ask: query.get("ask") };
  }

  function queryOf(answers) {
    const query = new URLSearchParams();
    for (const key of KEYS) {
      if (answers[key] !== undefined && answers[key] !== "") query.set(key, answers[key]);
    }
    return query;
  }

  function urlFor(answers, ask) {
    const query = queryOf(answers);
    if (ask) query.set("ask", ask);
    const text = query.toString();
    return location.pathname + (text ? `?${text}` : "");
  }

  function navigate(url) {
    history.pushState({ wz: true }, "", url);
    render();
  }

  // The screen for these answers: decided at build time for the first questions, else asked of Python.
  // Going back to a question ("ask") shows the screen its earlier answers lead to, with its answer chosen.
  async function screenFor(answers, ask, backTo) {
    const screens = bundle.flow.screens;
    if (!ask) {
      if (screens[queryOf(answers).toString()]) return screens[queryOf(answers).toString()];
    } else if (!engineApi) {
      const before = {};
      for (const key of KEYS.slice(0, KEYS.indexOf(ask))) if (answers[key] !== undefined) before[key] = answers[key];
      const known = screens[queryOf(before).toString()];
      if (known && known.question && known.question.id === ask) {
        return { ...known, answers: { ...answers }, intro: known.intro && Object.keys(answers).length <= 1 };
      }
    }
    if (!engineApi) waitingScreen(backTo);
    return (await engine).flow(answers, ask);
  }

  /* ---- screens ----------------------------------------------------------------------------- */

  async function render() {
    const { answers, ask } = readState();
    renderToken += 1;
    const token = renderToken;
    let view;
    try {
      view = await screenFor(answers, ask, null);
    } catch (error) {
      if (token === renderToken) showFailed(error, answers.protocol);
      return;
    }
    if (token !== renderToken) return;
    // Answers that no longer apply (the flow dropped them) leave the URL too.
    const wanted = urlFor(view.answers, ask);
    if (wanted !== location.pathname + location.search) history.replaceState(history.state, "", wanted);
    if (intro) intro.hidden = !view.intro;
    if (view.question) renderQuestion(view, view.question, view.question.error);
    else renderAnswer(view, token);
  }

  function renderQuestion(view, question, error, typed) {
    const parts = [];
    if (view.previous) parts.push(backLink(urlFor(view.answers, view.previous)));
    if (error) parts.push(errorSummary(error, `wz-${question.id}`));
    let headingLevel = "h1";
    if (view.danger) {
      parts.push(immediateBlock(view.danger));
      headingLevel = "h2";
    }
    const value = typed !== undefined ? typed : view.answers[question.id];
    parts.push(questionForm(view, question, value, error, headingLevel));
    show(parts, question.id, Boolean(error));
  }

  function questionForm(view, question, value, error, headingLevel) {
    const form = clone("tpl-question").firstElementChild;
    const headingEl = slot(form, "heading");
    headingEl.textContent = question.heading;
    if (headingLevel !== "h1") {
      const replacement = document.createElement(headingLevel);
      replacement.className = headingEl.className;
      replacement.textContent = headingEl.textContent;
      headingEl.replaceWith(replacement);
    }
    const hint = slot(form, "hint");
    hint.id = `wz-${question.id}-hint`;
    hint.textContent = question.hint;
    const fieldset = slot(form, "fieldset");
    const describedBy = [hint.id];
    if (error) {
      const message = slot(form, "error");
      message.hidden = false;
      message.id = `wz-${question.id}-error`;
      message.textContent = error;
      slot(form, "group").classList.add("wz-form-group--error");
      describedBy.push(message.id);
    }
    fieldset.setAttribute("aria-describedby", describedBy.join(" "));
    const inputs = slot(form, "inputs");
    if (question.kind === "date") inputs.append(dateInput(question.id, value, Boolean(error)));
    else inputs.append(radios(question.id, question.choices, value, question.inline));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      onSubmit(view, question, form);
    });
    return form;
  }

  function radios(field, choices, current, inline) {
    const box = document.createElement("div");
    box.className = inline ? "wz-radios wz-radios--inline" : "wz-radios";
    let index = 0;
    for (const choice of choices) {
      if (choice.divider) {
        const divider = document.createElement("div");
        divider.className = "wz-radios__divider";
        divider.textContent = choice.divider;
        box.append(divider);
      }
      const item = clone("tpl-radio").firstElementChild;
      const input = item.querySelector("input");
      const label = item.querySelector("label");
      const hint = item.querySelector(".wz-hint");
      input.id = index === 0 ? `wz-${field}` : `wz-${field}-${index}`;
      input.name = field;
      input.value = choice.value;
      input.checked = current === choice.value;
      label.htmlFor = input.id;
      label.textContent = choice.label;
      if (choice.hint) {
        hint.id = `${input.id}-hint`;
        hint.textContent = choice.hint;
        input.setAttribute("aria-describedby", hint.id);
      } else {
        hint.remove();
      }
      box.append(item);
      index += 1;
    }
    return box;
  }

  function dateInput(field, value, invalid) {
    const box = clone("tpl-date").firstElementChild;
    let parts = typeof value === "string" ? value.split("-") : null;
    if (!parts || parts.length !== 3) {
      const today = localToday().split("-");
      parts = value === undefined ? today : ["", "", ""];
    }
    const [year, month, day] = parts;
    const given = { day: day.replace(/^0(?=\d)/, ""), month: month.replace(/^0(?=\d)/, ""), year };
    for (const input of box.querySelectorAll("input")) {
      const part = input.dataset.part;
      input.id = part === "day" ? `wz-${field}` : `wz-${field}-${part}`;
      input.name = `${field}-${part}`;
      input.value = given[part];
      if (invalid) input.classList.add("wz-input--error");
      box.querySelector(`label[data-part="${part}"]`).htmlFor = input.id;
    }
    return box;
  }

  function onSubmit(view, question, form) {
    const { answers } = readState();
    const field = question.id;
    let value;
    if (question.kind === "date") {
      const get = (part) => form.querySelector(`input[data-part="${part}"]`).value.trim();
      const [day, month, year] = [get("day"), get("month"), get("year")];
      if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
        return renderQuestion(view, question, question.missing, `${year}-${month}-${day}`);
      }
      value = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
    } else {
      const checked = form.querySelector(`input[name="${field}"]:checked`);
      if (!checked) return renderQuestion(view, question, question.missing);
      value = checked.value;
    }
    const next = { ...answers, [field]: value };
    if (answers[field] !== value) {
      for (const prefix of bundle.flow.resets[field] || []) {
        for (const key of KEYS) if (key.startsWith(prefix)) delete next[key];
      }
    }
    // This question's entry in the history keeps the answer given, so "back" shows it chosen.
    history.replaceState(history.state, "", urlFor(next, field));
    navigate(urlFor(next, null));
  }

  function immediateBlock(danger) {
    const block = clone("tpl-immediate").firstElementChild;
    slot(block, "name").textContent = danger.name;
    if (danger.general_999) slot(block, "general-text").textContent = danger.general_999;
    else slot(block, "general").remove();
    list(slot(block, "actions"), danger.actions);
    slot(block, "contacts").append(...danger.contacts.map(contactCard));
    return block;
  }

  function waitingScreen(backTo) {
    const waiting = [];
    if (backTo) waiting.push(backLink(backTo));
    waiting.push(clone("tpl-loading").firstElementChild);
    show(waiting, "loading", false);
    announce(waiting[waiting.length - 1].querySelector("h1").textContent);
  }

  async function renderAnswer(view, token) {
    const protocolId = view.answers.protocol;
    const payload = { ...view.engine, today: localToday() };
    performance.mark("wz-answer-start");
    const back = view.previous ? urlFor(view.answers, view.previous) : null;
    let api = engineApi;
    if (!api) {
      waitingScreen(back);
      try {
        api = await engine;
      } catch (error) {
        if (token === renderToken) showFailed(error, protocolId);
        return;
      }
      if (token !== renderToken) return;
    }
    let result;
    try {
      result = await api.answer(protocolId, payload);
    } catch (error) {
      result = { ok: false, field: "", message: String(error && error.message ? error.message : error) };
    }
    if (token !== renderToken) return;
    if (!result.ok) {
      // The engine names the answer it refuses; the flow says which question asks for it.
      const field = view.fields[result.field];
      if (field) {
        const again = await api.flow(view.answers, field);
        if (token !== renderToken) return;
        if (again.question && again.question.id === field) return renderQuestion(again, again.question, result.message);
      }
      return showProblem(result.message, protocolId);
    }
    const parts = [];
    if (back) parts.push(backLink(back));
    parts.push(answerView(result.advice, view));
    show(parts, "answer", false);
    performance.mark("wz-answer-shown");
    performance.measure("wz-answer", "wz-answer-start", "wz-answer-shown");
  }

  function answerView(advice, view) {
    const card = clone("tpl-answer").firstElementChild;
    slot(card, "protocol-line").textContent = fill(WORDS.protocol_line, {
      name: advice.protocol_name, version: advice.version_label, route: advice.route_title });
    if (advice.immediate_actions.length) {
      slot(card, "immediate").hidden = false;
      list(slot(card, "immediate-actions"), advice.immediate_actions);
      slot(card, "emergency-contacts").append(...advice.emergency_contacts.map(contactCard));
    }
    const warnings = slot(card, "warnings");
    for (const text of advice.warnings) {
      const box = document.createElement("div");
      box.className = "wz-warning";
      const mark = document.createElement("span");
      mark.className = "wz-warning__icon";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = "!";
      const p = document.createElement("strong");
      p.className = "wz-warning__text";
      p.textContent = text;
      box.append(mark, p);
      warnings.append(box);
    }
    if (advice.route_switched_from) {
      slot(card, "switched").hidden = false;
      slot(card, "switched").textContent = fill(WORDS.switched, { route: advice.route_switched_from_title });
    }
    const stage = advice.next_stage;
    if (stage) {
      slot(card, "next-heading").textContent = fill(WORDS.next_heading, { stage: stage.number, title: stage.title });
      if (advice.deadline) {
        slot(card, "deadline-label").textContent =
          advice.deadline_is_formal_step_only ? WORDS.deadline_label_formal :
            advice.deadline_is_guideline ? WORDS.deadline_label_guideline : WORDS.deadline_label;
        slot(card, "deadline-text").textContent = advice.deadline_text;
      } else {
        slot(card, "deadline-label").textContent = WORDS.no_deadline_label;
        slot(card, "deadline-text").textContent = WORDS.no_deadline;
        slot(card, "deadline-box").classList.add("wz-deadline--none");
      }
      slot(card, "deadline-rule").textContent = advice.deadline_rule;
      const skipped = slot(card, "skipped");
      if (advice.skipped_text && !advice.deadline_rule.includes(advice.skipped_text)) {
        skipped.textContent = `${advice.skipped_text}.`;
      } else {
        skipped.remove();
      }
      slot(card, "role").textContent = stage.role;
      slot(card, "counterpart").textContent = stage.counterpart || "";
      slot(card, "seniority").hidden = !stage.similar_seniority;
      slot(card, "contacts").append(...stage.contacts.map(contactCard));
      list(slot(card, "actions"), stage.actions);
      if (stage.record.length) list(slot(card, "record"), stage.record); else slot(card, "record-block").remove();
      if (stage.forms.length) list(slot(card, "forms"), stage.forms); else slot(card, "forms-block").remove();
      slot(card, "timescale-wording").textContent = stage.timescale_wording;
      if (advice.duties.length) {
        list(slot(card, "duties"), advice.duties.map((d) => (d.latest_text ?
          `${fill(WORDS.duty_due, { text: d.text, date: d.latest_text })} ${d.rule}` : `${d.text} ${d.rule}`)));
      } else {
        slot(card, "duties-block").remove();
      }
    } else {
      slot(card, "next").remove();
      slot(card, "after").hidden = false;
      slot(card, "after-text").textContent = advice.after_last_stage || advice.warnings.join(" ");
    }
    if (advice.timeline.length) {
      const body = slot(card, "timeline");
      for (const row of advice.timeline) {
        const tr = document.createElement("tr");
        for (const text of [fill(WORDS.stage_cell, { stage: row.stage, title: row.title }),
          row.latest_text || WORDS.no_date, row.rule]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.append(td);
        }
        body.append(tr);
      }
    } else {
      slot(card, "timeline-block").remove();
    }
    if (advice.readings.length) list(slot(card, "readings"), advice.readings.map((r) => `${r.id}: ${r.used}`));
    else slot(card, "readings-block").remove();
    if (advice.record_keeping.length) list(slot(card, "record-keeping"), advice.record_keeping);
    else slot(card, "keeping-block").remove();
    slot(card, "answers").append(...answerRows(view));
    slot(card, "printed").textContent = humanDate(localToday());
    const icsButton = card.querySelector("[data-wz-ics]");
    if (advice.deadline) icsButton.addEventListener("click", () => downloadIcs(advice));
    else icsButton.remove();
    card.querySelector("[data-wz-print]").addEventListener("click", () => window.print());
    return card;
  }

  function answerRows(view) {
    return view.summary.map((row) => {
      const line = document.createElement("div");
      line.className = "wz-summary__row";
      const dt = document.createElement("dt");
      dt.textContent = row.label;
      const dd = document.createElement("dd");
      dd.textContent = row.shown;
      const action = document.createElement("dd");
      action.className = "wz-summary__action wz-no-print";
      const link = document.createElement("a");
      link.href = urlFor(view.answers, row.id);
      link.dataset.wzNav = "";
      link.textContent = WORDS.change;
      const hidden = document.createElement("span");
      hidden.className = "wz-visually-hidden";
      hidden.textContent = ` ${row.label.toLowerCase()}`;
      link.append(hidden);
      action.append(link);
      line.append(dt, dd, action);
      return line;
    });
  }

  function contactCard(contact) {
    const card = clone("tpl-contact").firstElementChild;
    card.querySelector(".wz-contact__name").textContent = contact.name;
    const details = card.querySelector(".wz-contact__details");
    const add = (label, text, href) => {
      if (!text) return;
      const li = document.createElement("li");
      li.append(`${label}: `);
      if (href) {
        const a = document.createElement("a");
        a.href = href;
        a.textContent = text;
        li.append(a);
      } else {
        li.append(text);
      }
      details.append(li);
    };
    const digits = contact.phone ? contact.phone.replace(/[^\d+]/g, "") : "";
    add(WORDS.phone, contact.phone, digits ? `tel:${digits}` : null);
    const email = /^[^\s@<>()[\]\\,;:"`]+@[^\s@<>()[\]\\,;:"`]+$/.test(contact.email || "") ? contact.email : "";
    add(WORDS.email, contact.email, email ? `mailto:${encodeURIComponent(email).replace(/%40/g, "@")}` : null);
    add(WORDS.website, contact.website, safeLink(contact.website));
    add(WORDS.hours, contact.hours, null);
    if (contact.notes) {
      const note = document.createElement("p");
      note.className = "wz-hint";
      note.textContent = contact.notes;
      card.append(note);
    }
    if (!details.children.length) details.remove();
    return card;
  }

  // The loader accepts only these schemes; checked again here, where the link is made, so that no
  // javascript:, data: or relative address ever becomes a live link.
  function safeLink(address) {
    const text = (address || "").trim();
    return /^(https?:\/\/|mailto:|tel:)/i.test(text) ? text : null;
  }

  function showFailed(error, protocolId) {
    const view = clone("tpl-failed").firstElementChild;
    slot(view, "guidance").href = guidanceUrl(protocolId);
    slot(view, "detail").textContent = error && error.message ? error.message : String(error);
    show([view], "failed", false);
  }

  function showProblem(message, protocolId) {
    const view = clone("tpl-problem").firstElementChild;
    slot(view, "message").textContent = message;
    slot(view, "guidance").href = guidanceUrl(protocolId);
    show([view], "problem", false);
  }

  // The guidance page of the protocol in the URL, if it names one of ours; else the home page.
  function guidanceUrl(protocolId) {
    let id = protocolId || new URLSearchParams(location.search).get("protocol");
    if (!id || !/^[a-z0-9-]+$/.test(id) || (bundle && !bundle.protocols[id])) id = null;
    const url = new URL(id ? `${id}/` : "", siteRoot);
    if (location.protocol === "file:") url.pathname += "index.html";
    return url.href;
  }

  function backLink(url) {
    const link = clone("tpl-back").firstElementChild;
    link.href = url;
    link.dataset.wzBack = "";
    return link;
  }

  function errorSummary(message, target) {
    const box = clone("tpl-error-summary").firstElementChild;
    const link = slot(box, "link");
    link.textContent = message;
    link.href = `#${target}`;
    return box;
  }

  function onClick(event) {
    const link = event.target.closest("a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    if (link.hasAttribute("data-wz-back")) {
      event.preventDefault();
      if (history.state && history.state.wz) history.back();
      else navigate(link.getAttribute("href"));
    } else if (link.hasAttribute("data-wz-nav")) {
      event.preventDefault();
      navigate(link.getAttribute("href"));
    } else if (link.hasAttribute("data-wz-restart")) {
      event.preventDefault();
      navigate(location.pathname);
    } else if (link.closest("[data-wz-error-summary]")) {
      event.preventDefault();
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) target.focus();
    }
  }

  function show(parts, name, hasError) {
    screen.replaceChildren(...parts);
    root.dataset.screen = name;
    if (!performance.getEntriesByName("wz-first-screen").length) performance.mark("wz-first-screen");
    const heading = screen.querySelector(".wz-heading, h1, h2");
    document.title = `${hasError ? "Error: " : ""}${heading ? heading.textContent.trim() : ""} - ${baseTitle}`;
    const focusTarget = hasError ? screen.querySelector("[data-wz-error-summary]") : screen.querySelector(".wz-heading");
    if (focusTarget) {
      if (!focusTarget.hasAttribute("tabindex")) focusTarget.setAttribute("tabindex", "-1");
      focusTarget.focus({ preventScroll: false });
    }
  }

  function announce(text) {
    statusBox.textContent = text;
  }

  /* ---- calendar file ----------------------------------------------------------------------- */

  function downloadIcs(advice) {
    const stage = advice.next_stage;
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const day = advice.deadline.replace(/-/g, "");
    const description = [
      advice.deadline_rule,
      fill(WORDS.ics_who, { role: stage.role, counterpart: stage.counterpart }),
      fill(WORDS.ics_link, { url: location.href }),
    ].join("\n\n");
    const lines = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Escalation guide//Decision aid//EN", "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH", "BEGIN:VEVENT",
      `UID:${advice.protocol}-${advice.route}-${stage.number}-${day}-${stamp}@escalation-guide`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${day}`,
      `SUMMARY:${icsText(fill(WORDS.ics_summary, { stage: stage.number, title: stage.title,
                                                  name: advice.protocol_name }))}`,
      `DESCRIPTION:${icsText(description)}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT", "END:VCALENDAR",
    ];
    const text = lines.map(fold).join("\r\n") + "\r\n";
    const url = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `escalation-deadline-${advice.deadline}.ics`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function icsText(text) {
    return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }

  // RFC 5545 lines are at most 75 octets; continuation lines start with a space.
  function fold(line) {
    const encoder = new TextEncoder();
    const out = [];
    let current = "";
    for (const char of line) {
      const limit = out.length ? 74 : 75;
      if (encoder.encode(current + char).length > limit) {
        out.push(current);
        current = char;
      } else {
        current += char;
      }
    }
    out.push(current);
    return out.join("\r\n ");
  }

  /* ---- small helpers ----------------------------------------------------------------------- */

  function clone(id) {
    return document.getElementById(id).content.cloneNode(true);
  }

  function slot(element, name) {
    return element.querySelector(`[data-slot="${name}"]`);
  }

  function list(ul, items) {
    for (const item of items) {
      const li = document.createElement("li");
      li.textContent = item;
      ul.append(li);
    }
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  // The browser's own date: the engine never guesses "today", the page tells it.
  function localToday() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  // "23 December 2026", worded by the catalogue like every date the engine writes.
  function humanDate(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    return fill(WORDS.date_long, { day, month: WORDS.months[month - 1], year });
  }

})();
