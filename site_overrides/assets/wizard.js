/* The decision aid's glue: read the answers, ask the Python engine, place what it returns.

   No rule, date or wording is worked out here. The questions' words are in next.html, the protocol
   data and bank holidays in bundle.json (written by generator/views/bundle.py), and every answer comes from
   generator/core/engine.py running in Pyodide in a Web Worker (wizard-worker.js). The answers live in the URL query so that back, reload and
   bookmarks work; this file only decides which question is still unanswered.
*/
(function () {
  "use strict";

  const root = document.getElementById("wizard");
  if (!root) return;
  const screen = document.getElementById("wz-screen");
  const statusBox = document.getElementById("wz-status");
  const intro = root.querySelector("[data-wz-intro]");
  const WORDS = JSON.parse(document.getElementById("wz-words").textContent);
  // Then one "endedN" question per stage that some cap is counted from (added once the bundle is in).
  const FIELDS = ["protocol", "danger", "unsafe", "route", "stage", "on", "started"];
  const ENGINE_FIELDS = { protocol: "protocol", route: "route", completed_stage: "stage", on: "on",
                          started: "started", today: "on" };
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  const bundleUrl = new URL(root.dataset.bundle, location.href);
  const workerUrl = new URL(root.dataset.worker, location.href);
  const siteRoot = new URL(root.dataset.siteRoot, location.href);
  const baseTitle = document.title;

  let bundle = null;
  let engineFn = null;
  let renderToken = 0;

  screen.querySelectorAll("[data-wz-js-only]").forEach((el) => { el.hidden = false; });

  const bundleText = fetch(bundleUrl).then((response) => {
    if (!response.ok) throw new Error(`The decision aid's data (${bundleUrl.pathname}) could not be loaded.`);
    return response.text();
  });
  const engine = startEngine();
  engine.then((fn) => { engineFn = fn; }, () => {});

  bundleText.then((text) => {
    bundle = JSON.parse(text);
    FIELDS.push(...endedFields(bundle));
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
      return async (protocolId, answers) => {
        const answer = await ask({ protocol: protocolId, answers });
        if (answer.failed || answer.error) throw new Error(answer.failed || answer.error);
        return JSON.parse(answer.result);
      };
    });
  }

  /* ---- the answers in the URL -------------------------------------------------------------- */

  function readState() {
    const query = new URLSearchParams(location.search);
    const answers = {};
    for (const field of FIELDS) {
      const value = query.get(field);
      if (value !== null) answers[field] = value;
    }
    return { answers, ask: query.get("ask") };
  }

  function urlFor(answers, ask) {
    const query = new URLSearchParams();
    for (const field of FIELDS) {
      if (answers[field] !== undefined && answers[field] !== "") query.set(field, answers[field]);
    }
    if (ask) query.set("ask", ask);
    const text = query.toString();
    return location.pathname + (text ? `?${text}` : "");
  }

  function navigate(url) {
    history.pushState({ wz: true }, "", url);
    render();
  }

  function protocolOf(id) {
    return bundle.questions.find((p) => p.id === id) || null;
  }

  function routeOf(protocol, id) {
    return protocol.routes.find((r) => r.id === id) || null;
  }

  // The bundle says which routes to offer and which one "not safe" leads to; the page only follows.
  function forcedRoute(protocol, answers) {
    if ((answers.unsafe === "yes" || answers.danger === "yes") && protocol.urgent_route) return protocol.urgent_route;
    if (protocol.route_choices.length === 1) return protocol.route_choices[0];
    return null;
  }

  function effectiveRoute(protocol, answers) {
    return forcedRoute(protocol, answers) || answers.route;
  }

  function needsStarted(route, stage) {
    return stage !== undefined && stage !== "none" && route.asks_started.includes(Number(stage));
  }

  // A cap counted from the end of an earlier stage (timescale.anchor "stage_end") needs that day:
  // the question "endedN" (URL key too) asks when stage N ended, sent to the engine as stage_ends.
  function endedFields(data) {
    const numbers = new Set();
    for (const protocol of Object.values(data.protocols)) {
      for (const route of protocol.routes) {
        for (const cap of route.caps || []) {
          if (cap.timescale.anchor === "stage_end") numbers.add(cap.timescale.anchor_stage);
        }
      }
    }
    return [...numbers].sort((a, b) => a - b).map((n) => `ended${n}`);
  }

  function endedStage(field) {
    return /^ended\d+$/.test(field) ? Number(field.slice(5)) : null;
  }

  function isDateField(field) {
    return field === "on" || field === "started" || endedStage(field) !== null;
  }

  // Asked only once a later stage has ended while the cap still covers a stage to come: the
  // protocol's data read as it stands (as for asks_started); the engine does all the counting.
  function needsEnded(protocolId, routeId, stage, number) {
    if (stage === undefined || stage === "none") return false;
    const data = bundle.protocols[protocolId];
    const route = data && data.routes.find((r) => r.id === routeId);
    const done = Number(stage);
    return Boolean(route) && number < done && (route.caps || []).some((cap) =>
      cap.timescale.anchor === "stage_end" && cap.timescale.anchor_stage === number &&
      cap.stages.some((s) => s > done));
  }

  function applies(field, answers) {
    const protocol = protocolOf(answers.protocol);
    if (field === "route") return !protocol || !forcedRoute(protocol, answers);
    if (field === "started") {
      const route = protocol && routeOf(protocol, effectiveRoute(protocol, answers));
      return Boolean(route) && needsStarted(route, answers.stage);
    }
    const number = endedStage(field);
    if (number !== null) {
      const routeId = protocol && effectiveRoute(protocol, answers);
      return Boolean(routeId) && needsEnded(protocol.id, routeId, answers.stage, number);
    }
    return true;
  }

  // The first question still unanswered, or answered with something that cannot be right.
  function firstGap(a) {
    const E = WORDS.errors;
    if (a.protocol === undefined) return { field: "protocol" };
    const protocol = protocolOf(a.protocol);
    if (!protocol) return { field: "protocol", error: fill(E.protocol, { value: a.protocol }) };
    for (const field of ["danger", "unsafe"]) {
      if (a[field] === undefined) return { field };
      if (a[field] !== "yes" && a[field] !== "no") return { field, error: E.yesno };
    }
    const routeId = effectiveRoute(protocol, a);
    if (routeId === undefined) return { field: "route" };
    const route = routeOf(protocol, routeId);
    if (!route) return { field: "route", error: fill(E.route, { value: routeId }) };
    if (a.stage === undefined) return { field: "stage" };
    if (a.stage !== "none" && !route.stages.some((s) => String(s.number) === a.stage)) {
      return { field: "stage", error: fill(E.stage, { value: a.stage }) };
    }
    for (const field of FIELDS.slice(FIELDS.indexOf("on"))) {
      if (field !== "on" && !applies(field, a)) continue;
      if (a[field] === undefined) return { field };
      if (!ISO_DATE.test(a[field])) return { field, error: fill(E.date_value, { value: a[field] }) };
    }
    return { field: "answer" };
  }

  // After a change, drop the answers that no longer mean anything (a stage of another route).
  function normalise(previous, next) {
    const protocol = protocolOf(next.protocol);
    const followUps = FIELDS.slice(FIELDS.indexOf("started"));
    if (!protocol) {
      delete next.route; delete next.stage;
      for (const field of followUps) delete next[field];
      return next;
    }
    if (previous.protocol !== next.protocol) delete next.route;
    const forced = forcedRoute(protocol, next);
    if (forced) next.route = forced;
    else if (next.route !== undefined && !protocol.route_choices.includes(next.route)) delete next.route;
    const before = protocolOf(previous.protocol);
    const previousRoute = before ? effectiveRoute(before, previous) : undefined;
    if (previous.protocol !== next.protocol || previousRoute !== next.route) {
      delete next.stage;
      for (const field of followUps) delete next[field];
    }
    for (const field of followUps) {
      if (next.route === undefined || !applies(field, next)) delete next[field];
    }
    return next;
  }

  /* ---- screens ----------------------------------------------------------------------------- */

  function render() {
    const { answers, ask } = readState();
    const gap = firstGap(answers);
    let field = gap.field;
    let error = gap.error || null;
    if (ask && FIELDS.includes(ask) && applies(ask, answers) &&
        (field === "answer" || FIELDS.indexOf(ask) < FIELDS.indexOf(field))) {
      field = ask;
      error = null;
    }
    renderToken += 1;
    if (intro) intro.hidden = !(Object.keys(answers).length <= 1 && (field === "protocol" || field === "danger"));
    if (field === "answer") renderAnswer(answers, renderToken);
    else renderQuestion(field, answers, error);
  }

  function renderQuestion(field, answers, error) {
    const protocol = answers.protocol !== undefined ? protocolOf(answers.protocol) : null;
    const parts = [];
    const previous = previousQuestion(field, answers);
    if (previous) parts.push(backLink(urlFor(answers, previous)));
    if (error) parts.push(errorSummary(error, `wz-${field}`));
    let headingLevel = "h1";
    if (field === "unsafe" && answers.danger === "yes" && protocol) {
      parts.push(immediateBlock(protocol));
      headingLevel = "h2";
    }
    parts.push(questionForm(field, answers, protocol, error, headingLevel));
    show(parts, field, Boolean(error));
  }

  function previousQuestion(field, answers) {
    const index = field === "answer" ? FIELDS.length : FIELDS.indexOf(field);
    for (let i = index - 1; i >= 0; i -= 1) {
      if (applies(FIELDS[i], answers)) return FIELDS[i];
    }
    return null;
  }

  function questionForm(field, answers, protocol, error, headingLevel) {
    const form = clone("tpl-question").firstElementChild;
    const words = wordsFor(field);
    const route = protocol ? routeOf(protocol, effectiveRoute(protocol, answers) || "") : null;
    const stage = route && answers.stage !== "none" ?
      route.stages.find((s) => String(s.number) === answers.stage) : null;
    const values = { person: protocol ? protocol.person : "child or adult", title: route ? route.title : "" };
    let heading = words.heading;
    if (field === "on" && stage) heading = fill(words.heading_stage, { stage: stage.number, title: stage.title });
    const ended = route ? route.stages.find((s) => s.number === endedStage(field)) : null;
    if (ended) {
      heading = fill(words.heading, { stage: ended.number, title: ended.title });
      values.stage = ended.number;
    }
    const headingEl = slot(form, "heading");
    headingEl.textContent = fill(heading, values);
    if (headingLevel !== "h1") {
      const replacement = document.createElement(headingLevel);
      replacement.className = headingEl.className;
      replacement.textContent = headingEl.textContent;
      headingEl.replaceWith(replacement);
    }
    const hint = slot(form, "hint");
    hint.id = `wz-${field}-hint`;
    hint.textContent = fill(words.hint, values);
    const fieldset = slot(form, "fieldset");
    const describedBy = [hint.id];
    if (error) {
      const message = slot(form, "error");
      message.hidden = false;
      message.id = `wz-${field}-error`;
      message.textContent = error;
      slot(form, "group").classList.add("wz-form-group--error");
      describedBy.push(message.id);
    }
    fieldset.setAttribute("aria-describedby", describedBy.join(" "));
    const inputs = slot(form, "inputs");
    if (isDateField(field)) {
      inputs.append(dateInput(field, answers[field], Boolean(error)));
    } else {
      inputs.append(radios(field, choicesFor(field, protocol, route), answers[field]));
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      onSubmit(field, form);
    });
    return form;
  }

  function wordsFor(field) {
    return endedStage(field) !== null ? WORDS.ended : WORDS[field];
  }

  function choicesFor(field, protocol, route) {
    if (field === "protocol") {
      return bundle.questions.map((p) => ({ value: p.id, label: p.name,
                                             hint: fill(WORDS.version, { version: p.version_label }) }));
    }
    if (field === "danger" || field === "unsafe") {
      return [{ value: "yes", label: WORDS.yes }, { value: "no", label: WORDS.no }];
    }
    if (field === "route") {
      return protocol.route_choices.map((id) => {
        const r = routeOf(protocol, id);
        return { value: r.id, label: r.question, hint: r.title };
      });
    }
    const choices = route.stages.map((s) => ({
      value: String(s.number), label: fill(WORDS.stage_label, { stage: s.number, title: s.title }), hint: s.role,
    }));
    choices.push({ divider: WORDS.stage.or });
    choices.push({ value: "none", label: WORDS.stage.none });
    return choices;
  }

  function radios(field, choices, current) {
    const box = document.createElement("div");
    box.className = field === "danger" || field === "unsafe" ? "wz-radios wz-radios--inline" : "wz-radios";
    let index = 0;
    for (const choice of choices) {
      if (choice.divider) {
        const divider = document.createElement("div");
        divider.className = "wz-radios__divider";
        divider.textContent = choice.divider;
        box.append(divider);
        continue;
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

  function onSubmit(field, form) {
    const { answers } = readState();
    let value;
    if (isDateField(field)) {
      const get = (part) => form.querySelector(`input[data-part="${part}"]`).value.trim();
      const [day, month, year] = [get("day"), get("month"), get("year")];
      if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
        return renderQuestion(field, { ...answers, [field]: `${year}-${month}-${day}` }, WORDS.errors.date);
      }
      value = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
    } else {
      const checked = form.querySelector(`input[name="${field}"]:checked`);
      if (!checked) {
        const key = field === "danger" || field === "unsafe" ? "yesno" : `${field}_missing`;
        return renderQuestion(field, answers, WORDS.errors[key]);
      }
      value = checked.value;
    }
    const next = normalise(answers, { ...answers, [field]: value });
    // This question's entry in the history keeps the answer given, so "back" shows it chosen.
    history.replaceState(history.state, "", urlFor(next, field));
    navigate(urlFor(next, null));
  }

  function immediateBlock(protocol) {
    const block = clone("tpl-immediate").firstElementChild;
    slot(block, "name").textContent = protocol.short_name;
    if (protocol.general_999) slot(block, "general-text").textContent = protocol.general_999;
    else slot(block, "general").remove();
    list(slot(block, "actions"), protocol.immediate_danger);
    slot(block, "contacts").append(...protocol.immediate_contacts.map(contactCard));
    return block;
  }

  async function renderAnswer(answers, token) {
    const protocol = protocolOf(answers.protocol);
    const payload = {
      route: effectiveRoute(protocol, answers),
      completed_stage: answers.stage === "none" ? null : Number(answers.stage),
      on: answers.on,
      today: localToday(),
      started: applies("started", answers) ? answers.started || null : null,  // a leftover value never blocks
      immediate_danger: answers.danger === "yes",
      timescale_unsafe: answers.unsafe === "yes",
      stage_ends: {},
    };
    for (const field of FIELDS) {
      const number = endedStage(field);
      if (number !== null && applies(field, answers)) payload.stage_ends[number] = answers[field];
    }
    performance.mark("wz-answer-start");
    let fn = engineFn;
    if (!fn) {
      const waiting = [];
      const previous = previousQuestion("answer", answers);
      if (previous) waiting.push(backLink(urlFor(answers, previous)));
      waiting.push(clone("tpl-loading").firstElementChild);
      show(waiting, "loading", false);
      announce(waiting[waiting.length - 1].querySelector("h1").textContent);
      try {
        fn = await engine;
      } catch (error) {
        if (token === renderToken) showFailed(error, protocol);
        return;
      }
      if (token !== renderToken) return;
    }
    let result;
    try {
      result = await fn(protocol.id, payload);
    } catch (error) {
      result = { ok: false, field: "", message: String(error && error.message ? error.message : error) };
    }
    if (token !== renderToken) return;
    if (!result.ok) {
      // The engine names "stage_ends" for any of the endedN answers; HIPS, the only such cap, has one.
      const field = result.field === "stage_ends" ?
        FIELDS.find((f) => endedStage(f) !== null && applies(f, answers)) : ENGINE_FIELDS[result.field];
      if (field && applies(field, answers)) return renderQuestion(field, answers, result.message);
      return showProblem(result.message, protocol);
    }
    const parts = [];
    const previous = previousQuestion("answer", answers);
    if (previous) parts.push(backLink(urlFor(answers, previous)));
    parts.push(answerView(result.advice, answers, protocol));
    show(parts, "answer", false);
    performance.mark("wz-answer-shown");
    performance.measure("wz-answer", "wz-answer-start", "wz-answer-shown");
  }

  function answerView(advice, answers, protocol) {
    const view = clone("tpl-answer").firstElementChild;
    slot(view, "protocol-line").textContent = fill(WORDS.protocol_line, {
      name: advice.protocol_name, version: advice.version_label, route: advice.route_title });
    if (advice.immediate_actions.length) {
      slot(view, "immediate").hidden = false;
      list(slot(view, "immediate-actions"), advice.immediate_actions);
      slot(view, "emergency-contacts").append(...advice.emergency_contacts.map(contactCard));
    }
    const warnings = slot(view, "warnings");
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
      slot(view, "switched").hidden = false;
      const from = routeOf(protocol, advice.route_switched_from);
      slot(view, "switched-from").textContent = from ? from.title : advice.route_switched_from;
    }
    const stage = advice.next_stage;
    if (stage) {
      slot(view, "next-heading").textContent = fill(WORDS.next_heading, { stage: stage.number, title: stage.title });
      if (advice.deadline) {
        slot(view, "deadline-label").textContent =
          advice.deadline_is_formal_step_only ? WORDS.deadline_label_formal :
            advice.deadline_is_guideline ? WORDS.deadline_label_guideline : WORDS.deadline_label;
        slot(view, "deadline-text").textContent = advice.deadline_text;
      } else {
        slot(view, "deadline-label").textContent = WORDS.no_deadline_label;
        slot(view, "deadline-text").textContent = WORDS.no_deadline;
        slot(view, "deadline-box").classList.add("wz-deadline--none");
      }
      slot(view, "deadline-rule").textContent = advice.deadline_rule;
      const skipped = slot(view, "skipped");
      if (advice.skipped_text && !advice.deadline_rule.includes(advice.skipped_text)) {
        skipped.textContent = `${advice.skipped_text}.`;
      } else {
        skipped.remove();
      }
      slot(view, "role").textContent = stage.role;
      slot(view, "counterpart").textContent = stage.counterpart || "";
      slot(view, "seniority").hidden = !stage.similar_seniority;
      slot(view, "contacts").append(...stage.contacts.map(contactCard));
      list(slot(view, "actions"), stage.actions);
      if (stage.record.length) list(slot(view, "record"), stage.record); else slot(view, "record-block").remove();
      if (stage.forms.length) list(slot(view, "forms"), stage.forms); else slot(view, "forms-block").remove();
      slot(view, "timescale-wording").textContent = stage.timescale_wording;
      if (advice.duties.length) {
        list(slot(view, "duties"), advice.duties.map((d) => (d.latest_text ?
          `${fill(WORDS.duty_due, { text: d.text, date: d.latest_text })} ${d.rule}` : `${d.text} ${d.rule}`)));
      } else {
        slot(view, "duties-block").remove();
      }
    } else {
      slot(view, "next").remove();
      slot(view, "after").hidden = false;
      slot(view, "after-text").textContent = advice.after_last_stage || advice.warnings.join(" ");
    }
    if (advice.timeline.length) {
      const body = slot(view, "timeline");
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
      slot(view, "timeline-block").remove();
    }
    if (advice.readings.length) list(slot(view, "readings"), advice.readings.map((r) => `${r.id}: ${r.used}`));
    else slot(view, "readings-block").remove();
    if (advice.record_keeping.length) list(slot(view, "record-keeping"), advice.record_keeping);
    else slot(view, "keeping-block").remove();
    slot(view, "answers").append(...answerRows(answers, protocol));
    slot(view, "printed").textContent = humanDate(localToday());
    const icsButton = view.querySelector("[data-wz-ics]");
    if (advice.deadline) icsButton.addEventListener("click", () => downloadIcs(advice));
    else icsButton.remove();
    view.querySelector("[data-wz-print]").addEventListener("click", () => window.print());
    return view;
  }

  function answerRows(answers, protocol) {
    const rows = [];
    const route = routeOf(protocol, effectiveRoute(protocol, answers));
    for (const field of FIELDS) {
      if (!applies(field, answers) || answers[field] === undefined) continue;
      const value = answers[field];
      let shown = value;
      if (field === "protocol") shown = `${protocol.name} (${fill(WORDS.version, { version: protocol.version_label })})`;
      else if (field === "danger" || field === "unsafe") shown = value === "yes" ? WORDS.yes : WORDS.no;
      else if (field === "route") shown = route.question;
      else if (field === "stage") {
        const stage = route.stages.find((s) => String(s.number) === value);
        shown = stage ? fill(WORDS.stage_label, { stage: stage.number, title: stage.title }) : WORDS.stage.none;
      } else shown = humanDate(value);
      const row = document.createElement("div");
      row.className = "wz-summary__row";
      const dt = document.createElement("dt");
      const stageEnded = field === "on" && answers.stage !== "none";
      dt.textContent = stageEnded ? fill(WORDS.on.summary_stage, { stage: answers.stage }) :
        fill(wordsFor(field).summary, { stage: endedStage(field) });
      const dd = document.createElement("dd");
      dd.textContent = shown;
      const action = document.createElement("dd");
      action.className = "wz-summary__action wz-no-print";
      const link = document.createElement("a");
      link.href = urlFor(answers, field);
      link.dataset.wzNav = "";
      link.textContent = WORDS.change;
      const hidden = document.createElement("span");
      hidden.className = "wz-visually-hidden";
      hidden.textContent = ` ${dt.textContent.toLowerCase()}`;
      link.append(hidden);
      action.append(link);
      row.append(dt, dd, action);
      rows.push(row);
    }
    return rows;
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

  function showFailed(error, protocol) {
    const view = clone("tpl-failed").firstElementChild;
    slot(view, "guidance").href = guidanceUrl(protocol);
    slot(view, "detail").textContent = error && error.message ? error.message : String(error);
    show([view], "failed", false);
  }

  function showProblem(message, protocol) {
    const view = clone("tpl-problem").firstElementChild;
    slot(view, "message").textContent = message;
    slot(view, "guidance").href = guidanceUrl(protocol);
    show([view], "problem", false);
  }

  function guidanceUrl(protocol) {
    let id = protocol ? protocol.id : null;
    if (!id && !bundle) {
      const asked = new URLSearchParams(location.search).get("protocol");
      if (asked && /^[a-z0-9-]+$/.test(asked)) id = asked;
    }
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

  function humanDate(iso) {
    if (!ISO_DATE.test(iso)) return iso;
    const [year, month, day] = iso.split("-").map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCDate() !== day) return iso;
    return date.toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });
  }
})();
