/* The decision aid's renderer: draw the screen Python decided and worded, and keep the answers in the URL.

   Nothing about any protocol is decided here and no words live here. The screen for the answers in the
   URL (the next question, or the answer as blocks of text) comes from generator/core/screens.py, run by
   the Pyodide worker (wizard-worker.js), worded from the message catalogue in the page's language
   (data-lang). The first screens, before any date, are in bundle.json ("flow.screens", decided by the same
   Python at build time), so they are usable before Python has started. The page's own few words (Back,
   Continue, loading and failure screens) are in #wz-words, written from the catalogue when the site was
   built. Text is only ever set as text (never as HTML); the kinds of block are listed in core/display.py.
   Any text may come as a list of runs (core/spec_text.py): a string in the page's language, or
   {text, lang} for a piece in another language (the partnership's English on a Welsh page), drawn as a
   <span lang>.
*/
(function () {
  "use strict";

  const root = document.getElementById("wizard");
  if (!root) return;
  const screen = document.getElementById("wz-screen");
  const intro = root.querySelector("[data-wz-intro]");
  const WORDS = JSON.parse(document.getElementById("wz-words").textContent);
  const LANG = root.dataset.lang || "en";
  const bundleUrl = new URL(root.dataset.bundle, location.href);
  const workerUrl = new URL(root.dataset.worker, location.href);
  const siteRoot = new URL(root.dataset.siteRoot, location.href);
  const baseTitle = document.title;
  let bundle = null;
  let KEYS = [];
  let engineApi = null;
  let renderToken = 0;

  screen.querySelectorAll("[data-wz-js-only]").forEach((node) => { node.hidden = false; });

  // The bundle is checked against the sum written when the site was built (by its content address,
  // generator/views/offline.py), as the worker checks it: a damaged file gets a plain message.
  const checksumsUrl = new URL(root.dataset.checksums || "checksums.json", root.dataset.checksums ? location.href : bundleUrl);
  const bundleText = Promise.all([fetch(bundleUrl), fetch(checksumsUrl).catch(() => null)]).then(async ([response, sums]) => {
    if (!response.ok) throw new Error(fill(WORDS["error.data_missing"], { path: bundleUrl.pathname }));
    const bytes = await response.arrayBuffer();
    const known = sums && sums.ok ? await sums.json().catch(() => ({})) : {};
    if (window.crypto && crypto.subtle) {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
      if (hex !== known["bundle.json"]) throw new Error(fill(WORDS["error.data_damaged"], { path: bundleUrl.pathname }));
    }
    return new TextDecoder("utf-8").decode(bytes);
  });
  const engine = startEngine();
  engine.then((api) => { engineApi = api; }, () => {});
  bundleText.then((text) => {
    bundle = JSON.parse(text);
    KEYS = bundle.flow.keys;
    render();
  }).catch((error) => showFailed(error));
  window.addEventListener("popstate", () => { if (bundle) render(); });
  screen.addEventListener("click", onClick);

  // Python runs in assets/wizard-worker.js, started by next.html's first <script> so that Pyodide
  // downloads and compiles off this thread while the questions are drawn; this only talks to it.
  function startEngine() {
    if (typeof WebAssembly !== "object") return Promise.reject(new Error(WORDS["error.no_wasm"]));
    if (location.protocol === "file:") return Promise.reject(new Error(WORDS["error.saved_file"]));
    if (typeof Worker !== "function") return Promise.reject(new Error(WORDS["error.no_workers"]));
    const cantStart = new Error(fill(WORDS["error.engine_start"], { path: workerUrl.pathname }));
    let worker = window.wizardWorker;
    try {
      worker = worker || new Worker(workerUrl, { type: "module" });
    } catch (error) {
      return Promise.reject(cantStart);
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
      pending.delete(event.data.id);
      if (waiting) waiting.resolve(event.data);
    });
    const ask = (message) => new Promise((resolve, reject) => {
      if (broken) return reject(broken);
      lastId += 1;
      pending.set(lastId, { resolve, reject });
      worker.postMessage({ id: lastId, ...message });
    });
    return ask({}).then((reply) => {
      if (reply.failed) throw new Error(failedText(reply.failed));
      // The worker's own milestones, on this page's clock, for benchmarks/wizard.py.
      for (const [name, epoch] of Object.entries(reply.timings || {})) {
        performance.mark(`wz-${name.replace(/_/g, "-")}`, { startTime: epoch - performance.timeOrigin });
      }
      performance.mark("wz-engine-ready");
      return async (answers, askId) => {
        const now = new Date();  // the device's date and time: the core reads no clock
        const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
        const context = { lang: LANG, today: localToday(now), url: location.href, stamp };
        const answer = await ask({ screen: { answers, ask: askId, context } });
        if (answer.failed || answer.error) throw new Error(answer.error || failedText(answer.failed));
        return JSON.parse(answer.result);
      };
    });
  }

  /* ---- the answers in the URL ---------------------------------------------------------------- */

  function readState() {
    const query = new URLSearchParams(location.search);
    const answers = {};
    for (const key of KEYS) if (query.get(key) !== null) answers[key] = query.get(key);
    return { answers, ask: query.get("ask") };
  }

  function queryOf(answers) {
    const query = new URLSearchParams();
    for (const key of KEYS) if (answers[key] !== undefined && answers[key] !== "") query.set(key, answers[key]);
    return query;
  }

  function urlFor(answers, ask) {
    const query = queryOf(answers);
    if (ask) query.set("ask", ask);
    return location.pathname + (query.toString() ? `?${query}` : "");
  }

  function navigate(url) {
    history.pushState({ wz: true }, "", url);
    render();
  }

  // A screen decided at build time, by the query that reaches it (bundle.json "flow.screens").
  function knownScreen(answers) {
    const pack = bundle.flow.screens[LANG] || bundle.flow.screens.en;
    const at = pack.at[queryOf(answers).toString()];
    if (at === undefined) return null;
    const view = pack.views[at];
    return { ...view, question: { ...pack.questions[view.question] }, blocks: pack.blocks[view.blocks] };
  }

  // The screens known at build time are drawn at once. Before Python is ready, going back to a question
  // ("ask") shows the screen its earlier answers lead to, with its answer chosen.
  async function screenFor(answers, ask) {
    const known = ask ? null : knownScreen(answers);
    if (known) return known;
    if (!engineApi && ask) {
      const before = {};
      for (const key of KEYS.slice(0, KEYS.indexOf(ask))) if (answers[key] !== undefined) before[key] = answers[key];
      const earlier = knownScreen(before);
      if (earlier && earlier.question.id === ask) {
        return { ...earlier, answers: { ...answers }, intro: earlier.intro && Object.keys(answers).length <= 1 };
      }
    }
    if (!engineApi) drawLoading();
    return (await engine)(answers, ask);
  }

  /* ---- screens ------------------------------------------------------------------------------- */

  async function render() {
    const { answers, ask } = readState();
    const token = ++renderToken;
    if (!knownScreen(answers)) performance.mark("wz-answer-start");
    let view;
    try {
      view = await screenFor(answers, ask);
    } catch (error) {
      if (token === renderToken) showFailed(error, answers.protocol);
      return;
    }
    if (token !== renderToken) return;
    // Answers that no longer apply (the flow dropped them) leave the URL too.
    const wanted = urlFor(view.answers, ask);
    if (wanted !== location.pathname + location.search) history.replaceState(history.state, "", wanted);
    if (intro) intro.hidden = !view.intro;
    drawScreen(view, view.question && view.question.error, view.question && view.answers[view.question.id]);
    if (view.screen === "answer") {
      performance.mark("wz-answer-shown");
      performance.measure("wz-answer", "wz-answer-start", "wz-answer-shown");
    }
  }

  // The screen's blocks (an answer, or the danger box above a question), then its question, if any.
  function drawScreen(view, error, value) {
    const question = view.question;
    const hasH1 = (blocks) => blocks.some((b) => (b.kind === "heading" && b.level === 1) || hasH1(b.blocks || []));
    show([view.previous && backLink(urlFor(view.answers, view.previous)), error && errorSummary(error, `wz-${question.id}`),
      ...view.blocks.map((block) => draw(block, view)),
      question && questionForm(view, question, value, error, hasH1(view.blocks) ? "h2" : "h1")], view.screen, Boolean(error));
  }

  function questionForm(view, question, value, error, level) {
    const id = `wz-${question.id}`;
    const form = h("form", { className: "wz-form", noValidate: true },
      h("div", { className: `wz-form-group${error ? " wz-form-group--error" : ""}` },
        h("fieldset", { className: "wz-fieldset", "aria-describedby": `${id}-hint${error ? ` ${id}-error` : ""}` },
          h("legend", { className: "wz-fieldset__legend" }, h(level, { className: "wz-heading", tabIndex: -1 }, question.heading)),
          h("div", { className: "wz-hint", id: `${id}-hint` }, question.hint),
          error && h("p", { className: "wz-error-message", id: `${id}-error` }, error),
          question.kind === "date" ? dateInput(question.id, value, Boolean(error)) : radios(question, value))),
      h("button", { type: "submit", className: "md-button md-button--primary wz-button" }, WORDS.continue));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      onSubmit(view, question, form);
    });
    return form;
  }

  function radios(question, current) {
    return h("div", { className: `wz-radios${question.inline ? " wz-radios--inline" : ""}` }, ...question.choices.flatMap((choice, index) => {
      const id = index === 0 ? `wz-${question.id}` : `wz-${question.id}-${index}`;
      const input = h("input", { className: "wz-radios__input", type: "radio", id, name: question.id, value: choice.value,
                                 checked: current === choice.value, "aria-describedby": choice.hint ? `${id}-hint` : null });
      return [choice.divider && h("div", { className: "wz-radios__divider" }, choice.divider),
        h("div", { className: "wz-radios__item" }, input, h("label", { className: "wz-radios__label", htmlFor: id }, choice.label),
          choice.hint && h("div", { className: "wz-hint wz-radios__hint", id: `${id}-hint` }, choice.hint))];
    }));
  }

  function dateInput(field, value, invalid) {
    let parts = typeof value === "string" ? value.split("-") : null;
    if (!parts || parts.length !== 3) parts = value === undefined ? localToday(new Date()).split("-") : ["", "", ""];
    const given = { year: parts[0], month: parts[1].replace(/^0(?=\d)/, ""), day: parts[2].replace(/^0(?=\d)/, "") };
    return h("div", { className: "wz-date-input" }, ...["day", "month", "year"].map((part) => {
      const id = part === "day" ? `wz-${field}` : `wz-${field}-${part}`;
      return h("div", { className: "wz-date-input__item" },
        h("label", { className: "wz-date-input__label", htmlFor: id }, WORDS[part]),
        h("input", { className: `wz-input wz-input--${part === "year" ? 4 : 2}${invalid ? " wz-input--error" : ""}`, id,
                     name: `${field}-${part}`, value: given[part], inputMode: "numeric", autocomplete: "off",
                     maxLength: part === "year" ? 4 : 2, data: { part } }));
    }));
  }

  function onSubmit(view, question, form) {
    const { answers } = readState();
    let value;
    if (question.kind === "date") {
      const [day, month, year] = ["day", "month", "year"].map((p) => form.querySelector(`[data-part="${p}"]`).value.trim());
      if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
        return drawScreen({ ...view, question, screen: question.id }, question.missing, `${year}-${month}-${day}`);
      }
      value = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
    } else {
      const checked = form.querySelector(`input[name="${question.id}"]:checked`);
      if (!checked) return drawScreen({ ...view, question, screen: question.id }, question.missing, undefined);
      value = checked.value;
    }
    const next = { ...answers, [question.id]: value };
    if (answers[question.id] !== value) {
      for (const prefix of bundle.flow.resets[question.id] || []) {
        for (const key of KEYS) if (key.startsWith(prefix)) delete next[key];
      }
    }
    // This question's entry in the history keeps the answer given, so "back" shows it chosen.
    history.replaceState(history.state, "", urlFor(next, question.id));
    navigate(urlFor(next, null));
  }

  /* ---- blocks (their kinds are listed in generator/core/display.py) ------------------------- */

  function draw(block, view) {
    const className = (block.style || "").split(" ").filter(Boolean).map((s) => (s.startsWith("wz-") ? s : `wz-${s}`)).join(" ");
    const props = { className, data: block.slot ? { slot: block.slot } : {} };
    const kind = block.kind;
    if (kind === "heading") {
      return h(`h${block.level}`, block.level === 1 ? { ...props, className: "wz-heading", tabIndex: -1 } : props, block.text);
    }
    if (kind === "paragraph") return h("p", props, block.strong ? h("strong", {}, block.text) : block.text);
    if (kind === "list") return h("ul", props, ...block.items.map((item) => h("li", {}, item)));
    if (kind === "section") return h("section", props, ...block.blocks.map((b) => draw(b, view)));
    if (kind === "warning") {
      return h("div", { className: "wz-warning" }, h("span", { className: "wz-warning__icon", "aria-hidden": "true" }, "!"),
        h("strong", { className: "wz-warning__text" }, block.text));
    }
    if (kind === "contact") {
      return h("div", { className: "wz-contact" }, h("p", { className: "wz-contact__name" }, block.name),
        block.details.length > 0 && h("ul", { className: "wz-contact__details" }, ...block.details.map((d) => h("li", {},
          d.label, ": ", safeLink(d.href) ? h("a", { href: d.href }, d.text) : d.text))),
        block.note && h("p", { className: "wz-hint" }, block.note));
    }
    if (kind === "table") {
      return h("table", { className }, h("thead", {}, h("tr", {}, ...block.head.map((text) => h("th", { scope: "col" }, text)))),
        h("tbody", { data: props.data }, ...block.rows.map((row) => h("tr", {}, ...row.map((text) => h("td", {}, text))))));
    }
    if (kind === "pairs" || kind === "answers" || kind === "lines") {
      return h("dl", { ...props, className: className || (kind === "lines" ? "wz-record__lines" : "wz-summary") },
        ...block.rows.map((row) => (kind === "lines" ? h("div", {}, h("dt", {}, row), h("dd", {}))
          : h("div", { className: "wz-summary__row" }, h("dt", {}, row.label),
            h("dd", { data: row.slot ? { slot: row.slot } : {} }, row.text ?? row.shown),
            kind === "answers" && h("dd", { className: "wz-summary__action wz-no-print" },
              h("a", { href: urlFor(view.answers, row.ask), data: { wzNav: "" } }, row.change,
                h("span", { className: "wz-visually-hidden" }, ` ${plain(row.label).toLowerCase()}`)))))));
    }
    if (kind === "buttons") {
      return h("div", props, ...block.items.map((item) => {
        const button = h("button", { type: "button", className: `md-button wz-button${item.action === "print" ? " md-button--primary" : ""}`,
                                     data: item.action === "print" ? { wzPrint: "" } : { wzIcs: "" } }, item.text);
        button.addEventListener("click", () => (item.action === "print" ? window.print() : download(view.ics)));
        return button;
      }));
    }
    if (kind === "links") {
      return h("p", props, ...block.parts.flatMap((part, index) => [index ? " " : "", !part.action ? part.text
        : h("a", part.action === "restart" ? { href: "?", data: { wzRestart: "" } } : { href: guidanceUrl(view.answers.protocol) },
          part.text)]));
    }
    throw new TypeError(kind);  // a block kind core/display.py does not make: a programming error
  }

  function drawLoading() {
    show([h("div", { className: "wz-loading" }, h("h1", { className: "wz-heading", tabIndex: -1 }, WORDS["loading.heading"]),
      h("p", {}, WORDS["loading.text"]))], "loading", false);
    document.getElementById("wz-status").textContent = WORDS["loading.heading"];
  }

  function showFailed(error, protocolId) {
    show([h("div", { className: "wz-failed" }, h("h1", { className: "wz-heading", tabIndex: -1 }, WORDS["failed.heading"]),
      h("p", {}, WORDS["failed.text"]),
      h("p", {}, `${WORDS["failed.guidance"]} `, h("a", { href: guidanceUrl(protocolId), data: { slot: "guidance" } }, WORDS["failed.guidance_link"])),
      h("p", { className: "wz-hint", data: { slot: "detail" } }, error && error.message ? error.message : String(error)))], "failed", false);
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
    return h("a", { href: url, className: "wz-back", data: { wzBack: "" } }, WORDS.back);
  }

  function errorSummary(message, target) {
    return h("div", { className: "wz-error-summary", role: "alert", tabIndex: -1, data: { wzErrorSummary: "" } },
      h("h2", { className: "wz-error-summary__title" }, WORDS.error_summary),
      h("ul", { className: "wz-error-summary__list" }, h("li", {}, h("a", { href: `#${target}` }, message))));
  }

  function onClick(event) {
    const link = event.target.closest("a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    const href = link.getAttribute("href");
    if (link.hasAttribute("data-wz-back")) {
      event.preventDefault();
      if (history.state && history.state.wz) history.back();
      else navigate(href);
    } else if (link.hasAttribute("data-wz-nav") || link.hasAttribute("data-wz-restart")) {
      event.preventDefault();
      navigate(link.hasAttribute("data-wz-nav") ? href : location.pathname);
    } else if (link.closest("[data-wz-error-summary]")) {
      event.preventDefault();
      const field = document.getElementById(href.slice(1));
      if (field) field.focus();
    }
  }

  function show(parts, name, hasError) {
    screen.replaceChildren(...parts.filter(Boolean));
    root.dataset.screen = name;
    if (!performance.getEntriesByName("wz-first-screen").length) performance.mark("wz-first-screen");
    const heading = screen.querySelector(".wz-heading, h1, h2");
    document.title = `${hasError ? WORDS.error_title : ""}${heading ? heading.textContent.trim() : ""} - ${baseTitle}`;
    const focusTarget = screen.querySelector(hasError ? "[data-wz-error-summary]" : ".wz-heading");
    if (focusTarget) focusTarget.focus({ preventScroll: false });
  }

  // The calendar file is written by Python (core/display.py); the page only offers it for download.
  function download(file) {
    const url = URL.createObjectURL(new Blob([file.text], { type: "text/calendar;charset=utf-8" }));
    const anchor = h("a", { href: url, download: file.filename });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /* ---- small helpers ------------------------------------------------------------------------- */

  // An element with properties (data: its dataset; aria-* and role: attributes) and children: strings
  // become text nodes, so nothing given here is ever parsed as HTML. Falsy children are left out.
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "data") Object.assign(node.dataset, value);
      else if (key.startsWith("aria-") || key === "role") { if (value !== null) node.setAttribute(key, value); }
      else if (value !== "" || key !== "className") node[key] = value;
    }
    node.append(...children.filter(Boolean).flatMap(runs));
    return node;
  }

  // A text given as runs (core/spec_text.py): each piece in another language gets its own lang attribute.
  function runs(child) {
    if (!Array.isArray(child)) return [child];
    return child.map((run) => (typeof run === "string" ? run : h("span", { lang: run.lang }, run.text)));
  }

  function plain(text) {
    return Array.isArray(text) ? text.map((run) => (typeof run === "string" ? run : run.text)).join("") : text;
  }

  // The loader accepts only these schemes; checked again where the link is made, so that no
  // javascript:, data: or relative address from the data ever becomes a live link.
  function safeLink(address) {
    return /^(https?:\/\/|mailto:|tel:)/i.test((address || "").trim());
  }

  // The worker names a failure by catalogue id and file (wizard-worker.js); the words are this page's.
  function failedText(failed) {
    return failed.code ? fill(WORDS[failed.code], failed) : failed;
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  // The browser's own date: the engine never guesses "today", the page tells it.
  function localToday(now) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }
})();
