/* 手机维保: the worker's day on a phone.
 *
 * Screens are drawn from /api/v1/mobile/agenda (cached for offline use). Every write (start, join, item,
 * finish, signature) becomes an entry of an outbox kept in IndexedDB with its original time, position and
 * files, and is sent at once when there is signal, or later, in order, when the signal returns. An entry the
 * platform refuses stays in the outbox with the platform's reason until the worker retries or discards it:
 * nothing is lost silently.
 */
(function () {
  "use strict";

  const CONFIG = JSON.parse(document.getElementById("m-config").textContent);
  const S = CONFIG.strings;
  const API = CONFIG.api;
  const view = document.getElementById("view");

  // --- small helpers ----------------------------------------------------------------------------------------

  function t(key, params) {
    let text = S[key] || key;
    for (const [name, value] of Object.entries(params || {})) text = text.replace(`%(${name})s`, value);
    return text;
  }

  /** h("div", {class: "x", onclick: fn}, child, …): DOM without innerHTML (the platform's text is data). */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "testid") node.dataset.testid = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(...nodes) {
    view.replaceChildren(...nodes.flat().filter((node) => node !== null && node !== undefined && node !== false));
    window.scrollTo(0, 0);
  }

  let toastTimer = null;
  function toast(message, kind) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.className = "toast " + (kind || "");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => box.classList.add("hidden"), 4000);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  /** An ISO time as the phone's local "YYYY-MM-DD HH:MM". */
  function localTime(iso) {
    const d = new Date(iso);
    const two = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  }

  function newId() {
    return "L" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  }

  function distanceText(metres) {
    if (metres === null || metres === undefined) return "";
    return metres < 1000 ? t("metres", { n: metres }) : t("km", { n: (metres / 1000).toFixed(1) });
  }

  function haversine(lat1, lng1, lat2, lng2) {
    const rad = Math.PI / 180;
    const dp = (lat2 - lat1) * rad;
    const dl = (lng2 - lng1) * rad;
    const a = Math.sin(dp / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dl / 2) ** 2;
    return Math.round(2 * 6371000 * Math.asin(Math.sqrt(a)));
  }

  // --- storage (IndexedDB: "kv" for the agenda and the visits, "outbox" for what is still to send) ------------

  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open("m-app-" + CONFIG.user.id, 1);
        open.onupgradeneeded = () => {
          open.result.createObjectStore("kv");
          open.result.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }

  async function tx(store, mode, work) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(store, mode);
      const result = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  const kv = {
    get: (key) => tx("kv", "readonly", (s) => s.get(key)),
    set: (key, value) => tx("kv", "readwrite", (s) => s.put(value, key)),
  };
  const outbox = {
    all: () => tx("outbox", "readonly", (s) => s.getAll()),
    add: (entry) => tx("outbox", "readwrite", (s) => s.add(entry)),
    put: (entry) => tx("outbox", "readwrite", (s) => s.put(entry)),
    remove: (id) => tx("outbox", "readwrite", (s) => s.delete(id)),
  };

  // the visits this phone works on, by local id
  let visits = {};
  async function loadVisits() {
    visits = (await kv.get("visits")) || {};
    // visits done and sent are kept two days (the worker may look back), then forgotten
    const pending = new Set((await outbox.all()).map((entry) => entry.visit));
    const old = Date.now() - 2 * 86400 * 1000;
    for (const [id, visit] of Object.entries(visits)) {
      if (visit.done && !pending.has(id) && new Date(visit.started_at).getTime() < old) delete visits[id];
    }
  }
  async function saveVisits() {
    await kv.set("visits", visits);
  }

  // --- network ----------------------------------------------------------------------------------------------

  class Refused extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function reasonOf(body, status) {
    if (body && Array.isArray(body.detail)) {
      return body.detail.map((d) => (d.messages ? d.messages.join(" ") : d.msg || JSON.stringify(d))).join("；");
    }
    if (body && body.detail) return String(body.detail);
    if (body && body.message) return String(body.message);
    return "HTTP " + status;
  }

  /** A call to the platform: resolves with the JSON body, throws Refused (the platform said no) or TypeError
   *  (no network). */
  async function call(method, path, { form, json } = {}) {
    const init = { method, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" } };
    if (json !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    } else if (form) {
      init.body = form;
    }
    const response = await fetch(API + path, init);
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (response.status === 401 || (response.status === 403 && response.redirected)) {
      throw new Refused(401, t("login_again"));
    }
    if (!response.ok) throw new Refused(response.status, reasonOf(body, response.status));
    return body;
  }

  function formOf(data, files) {
    const form = new FormData();
    for (const [name, value] of Object.entries(data || {})) {
      if (value !== null && value !== undefined && value !== "") form.append(name, value);
    }
    for (const [name, blob] of Object.entries(files || {})) {
      if (blob) form.append(name, blob, name + (blob.type === "image/png" ? ".png" : ".jpg"));
    }
    return form;
  }

  // --- the outbox -------------------------------------------------------------------------------------------

  /** Send one entry; returns what the platform answered. Throws when it cannot be sent (yet). */
  async function send(entry) {
    const visit = visits[entry.visit];
    if (entry.kind === "start") {
      return call("POST", "/maintenance/records", { form: formOf(entry.data, entry.files) });
    }
    if (entry.kind === "join") {
      return call("POST", "/maintenance/records/join", { form: formOf(entry.data, entry.files) });
    }
    if (!visit || !visit.serverId) throw new Refused(0, "waiting");  // its start has not reached the platform yet
    const base = `/maintenance/records/${visit.serverId}`;
    if (entry.kind === "answer") {
      const item = visit.items.find((i) => i.item_id === entry.data.item_id);
      if (!item || !item.record_item_id) throw new Refused(422, t("error", { reason: entry.data.code }));
      const data = { ...entry.data, item: item.record_item_id };
      delete data.item_id;
      delete data.code;
      return call("POST", base + "/items", { form: formOf(data, entry.files) });
    }
    if (entry.kind === "finish") return call("POST", base + "/finish", { json: entry.data });
    if (entry.kind === "confirm") return call("POST", base + "/confirm", { form: formOf(entry.data, entry.files) });
    throw new Refused(0, "unknown entry");
  }

  /** What an accepted entry changes on the phone. */
  function accepted(entry, body) {
    const visit = visits[entry.visit];
    if (!visit) return;
    if (entry.kind === "start" || entry.kind === "join") {
      visit.serverId = body.id;
      visit.join_code = body.join_code || visit.join_code;
      visit.cycle = body.cycle;
      visit.work_type = body.work_type;
      visit.workers = (body.workers || []).map((w) => ({ name: w.name, role: w.role, user_id: w.user_id }));
      const byItem = {};
      for (const item of body.items || []) byItem[item.item_id] = item;
      if (entry.kind === "start") {
        for (const item of visit.items) if (byItem[item.item_id]) item.record_item_id = byItem[item.item_id].id;
      }
    }
    if (entry.kind === "finish") visit.finishedOnServer = true;
    if (entry.kind === "confirm") visit.confirmedOnServer = true;
  }

  let flushing = null;
  let loginNeeded = false;

  /** Send what waits, oldest first; an entry refused stops the later entries of its visit, not the others. */
  function flush() {
    if (!flushing) flushing = doFlush().finally(() => (flushing = null));
    return flushing;
  }

  async function doFlush() {
    let entries = await outbox.all();
    const stopped = new Set();
    for (const entry of entries) {
      if (stopped.has(entry.visit)) continue;
      if (entry.error && !entry.retry) {
        stopped.add(entry.visit);
        continue;
      }
      try {
        const body = await send(entry);
        accepted(entry, body);
        await saveVisits();
        await outbox.remove(entry.id);
      } catch (error) {
        if (!(error instanceof Refused)) break;  // no network: try again when the signal returns
        if (error.status === 401) {
          loginNeeded = true;
          break;
        }
        stopped.add(entry.visit);
        if (error.status === 0) continue;  // waiting for its start
        entry.error = error.message;
        entry.retry = false;
        entry.refused_at = new Date().toISOString();
        await outbox.put(entry);
      }
    }
    entries = await outbox.all();
    if (!entries.length) loginNeeded = false;
    await updateBar();
    return entries;
  }

  async function queue(entry) {
    entry.created_at = new Date().toISOString();
    await outbox.add(entry);
    await updateBar();
    if (navigator.onLine) await flush();
  }

  async function updateBar() {
    const net = document.getElementById("net");
    net.textContent = navigator.onLine ? t("online") : t("offline");
    net.className = "pill " + (navigator.onLine ? "ok" : "off");
    const entries = await outbox.all();
    const button = document.getElementById("queue-button");
    button.textContent = t("queued", { n: entries.length }) + (entries.some((e) => e.error) ? " !" : "");
    button.classList.toggle("hidden", entries.length === 0);
    button.classList.toggle("bad", entries.some((e) => e.error) || loginNeeded);
  }

  window.addEventListener("online", () => {
    updateBar();
    flush().then(() => route());
  });
  window.addEventListener("offline", updateBar);

  // --- position, camera, photos ------------------------------------------------------------------------------

  function locate() {
    return new Promise((resolve, reject) => {
      if (!navigator.geolocation) return reject(new Error("no geolocation"));
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: Math.round(p.coords.accuracy || 0) }),
        (e) => reject(new Error(e.message || "denied")),
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
      );
    });
  }

  /** A photo as the phone sends it: upright, at most `side` px on its long side, JPEG. */
  async function compress(file, side) {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
  }

  /** A library loaded when a screen first needs it (the first load stays small; the service worker keeps them
   *  for offline use). */
  const loading = {};
  function library(name, global) {
    if (window[global]) return Promise.resolve(window[global]);
    if (!loading[name]) {
      loading[name] = new Promise((resolve, reject) => {
        const script = h("script", { src: CONFIG.libraries[name] });
        script.onload = () => resolve(window[global]);
        script.onerror = () => {
          delete loading[name];
          reject(new Error(name));
        };
        document.head.append(script);
      });
    }
    return loading[name];
  }

  let activeStream = null;
  function stopCamera() {
    if (activeStream) activeStream.getTracks().forEach((track) => track.stop());
    activeStream = null;
  }

  /** Read a QR code with the camera: the browser's BarcodeDetector where there is one, else jsQR. */
  async function scanner(onText, onError) {
    const video = h("video", { playsinline: true, muted: true, class: "scanner", testid: "scanner" });
    const box = h("div", { class: "scan-box" }, video, h("p", { class: "muted" }, t("scan_hint")));
    (async () => {
      try {
        activeStream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        video.srcObject = activeStream;
        await video.play();
        let detector = null;
        if ("BarcodeDetector" in window) {
          try {
            const formats = await window.BarcodeDetector.getSupportedFormats();
            if (formats.includes("qr_code")) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          } catch (error) {
            detector = null;
          }
        }
        const decode = detector ? null : await library("jsqr", "jsQR");
        const canvas = document.createElement("canvas");
        const context = canvas.getContext("2d", { willReadFrequently: true });
        const tick = async () => {
          if (!activeStream || !video.isConnected) return stopCamera();
          let text = null;
          if (video.readyState >= 2 && video.videoWidth) {
            if (detector) {
              const codes = await detector.detect(video);
              text = codes.length ? codes[0].rawValue : null;
            } else {
              const scale = Math.min(1, 640 / video.videoWidth);
              canvas.width = Math.round(video.videoWidth * scale);
              canvas.height = Math.round(video.videoHeight * scale);
              context.drawImage(video, 0, 0, canvas.width, canvas.height);
              const image = context.getImageData(0, 0, canvas.width, canvas.height);
              const found = decode(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
              text = found ? found.data : null;
            }
          }
          if (text && onText(text) !== false) {
            stopCamera();
          } else {
            setTimeout(tick, 150);
          }
        };
        tick();
      } catch (error) {
        stopCamera();
        onError(error.message || String(error));
      }
    })();
    return box;
  }

  // photos still being compressed: a button that sends waits for them (else it would send the previous photo)
  const processing = new Set();
  function photosReady() {
    return Promise.all([...processing]);
  }

  /** A photo input that opens the camera on a phone (capture) and keeps the compressed photo. */
  function photoInput({ label, facing, side, testid, onPhoto }) {
    const status = h("span", { class: "muted small" });
    const input = h("input", { type: "file", accept: "image/*", capture: facing, class: "hidden", testid });
    input.addEventListener("change", () => {
      if (!input.files.length) return;
      status.textContent = "…";
      const work = compress(input.files[0], side)
        .then((blob) => {
          onPhoto(blob);
          status.textContent = t("photo_taken") + " ✓";
        })
        .catch((error) => (status.textContent = t("error", { reason: error.message })))
        .finally(() => processing.delete(work));
      processing.add(work);
    });
    const button = h("button", { type: "button", class: "btn", onclick: () => input.click() }, label);
    return h("div", { class: "row" }, button, input, status);
  }

  function positionBlock(state, elevator) {
    const text = h("span", { testid: "position" }, t("locating"));
    const retry = h("button", { type: "button", class: "btn small hidden", onclick: () => run() }, t("retry_position"));
    async function run() {
      text.textContent = t("locating");
      retry.classList.add("hidden");
      try {
        state.position = await locate();
        let line = t("located", { n: state.position.accuracy });
        if (elevator && elevator.latitude !== null) {
          line += " · " + t("distance_to_elevator", { n: haversine(state.position.latitude, state.position.longitude, elevator.latitude, elevator.longitude) });
        }
        text.textContent = line;
      } catch (error) {
        state.position = null;
        text.textContent = t("no_position", { reason: error.message });
        retry.classList.remove("hidden");
      }
    }
    run();
    return h("div", { class: "field" }, h("label", {}, t("position")), h("div", { class: "row" }, text, retry));
  }

  // --- agenda -----------------------------------------------------------------------------------------------

  let agenda = null;

  async function loadAgenda() {
    try {
      agenda = await call("GET", "/mobile/agenda");  // one URL: the service worker's cached copy serves offline
      await kv.set("agenda", agenda);
    } catch (error) {
      if (error instanceof Refused && error.status === 401) {
        loginNeeded = true;
      }
      agenda = agenda || (await kv.get("agenda"));
    }
    if (agenda) await mergeInProgress(agenda);
    return agenda;
  }

  function catalogueItems(key, notes) {
    return ((agenda && agenda.catalogues[key]) || []).map((item) => ({
      ...item,
      requirement: notes && notes[item.code] ? `${item.requirement} ${notes[item.code]}` : item.requirement,
      result: "",
      note: "",
      measured_value: null,
      has_photo: false,
    }));
  }

  /** Visits in progress on the platform (started on this phone or another) become local visits; a local visit
   *  the platform no longer has in progress (finished on another phone, or on the web) is done here too. */
  async function mergeInProgress(day) {
    const records = day.in_progress || [];
    const onServer = new Set(records.map((r) => r.id));
    const pending = new Set((await outbox.all()).map((entry) => entry.visit));
    for (const visit of Object.values(visits)) {
      const stale = !day.generated_at || new Date(day.generated_at) <= new Date(visit.started_at);
      if (visit.serverId && !visit.done && !visit.finished && !onServer.has(visit.serverId) && !pending.has(visit.localId) && !stale) {
        visit.done = true;
      }
    }
    const known = new Set(Object.values(visits).map((v) => v.serverId).filter(Boolean));
    for (const record of records) {
      if (known.has(record.id)) {
        const visit = Object.values(visits).find((v) => v.serverId === record.id);
        visit.workers = record.workers;
        visit.join_code = record.join_code;
        continue;
      }
      const localId = newId();
      visits[localId] = {
        localId,
        serverId: record.id,
        elevator: record.elevator,
        cycle: record.cycle,
        work_type: record.work_type,
        join_code: record.join_code,
        started_at: record.started_at,
        corrects: record.corrects,
        workers: record.workers,
        role: (record.workers.find((w) => w.user_id === CONFIG.user.id) || {}).role || "first",
        items: record.items.map((item) => ({ ...item, photo: null })),
      };
    }
    await saveVisits();
  }

  function visitCard(visit) {
    const elevator = visit.elevator;
    return h(
      "a",
      { class: "card link", href: "#/start/" + encodeURIComponent(elevator.register_code), testid: "visit" },
      h("div", { class: "row between" }, h("strong", {}, elevator.building), h("span", { class: "pill " + visit.when }, visit.cycle_label)),
      h("div", { class: "muted small" }, elevator.register_code, " · ", elevator.address),
      h("div", { class: "small" }, t("due"), " ", visit.due_date, visit.distance_m !== null ? " · " + distanceText(visit.distance_m) : "")
    );
  }

  /** Nearest first among the overdue and today's visits, once the phone knows where it is. */
  function byDistance(position) {
    const order = { overdue: 0, today: 1, upcoming: 2 };
    for (const visit of agenda.visits) {
      const e = visit.elevator;
      visit.distance_m = position && e.latitude !== null ? haversine(position.latitude, position.longitude, e.latitude, e.longitude) : null;
    }
    const near = (v) => (v.distance_m === null || v.when === "upcoming" ? Infinity : v.distance_m);
    agenda.visits.sort((a, b) => order[a.when] - order[b.when] || near(a) - near(b) || a.due_date.localeCompare(b.due_date));
  }

  async function home() {
    await loadAgenda();
    drawHome();
    locate()
      .then((position) => {
        if (!agenda || !/^#?\/?$/.test(location.hash)) return;
        byDistance(position);
        drawHome();
      })
      .catch(() => null);
  }

  function drawHome() {
    const actions = h(
      "div",
      { class: "actions" },
      h("a", { class: "btn primary big", href: "#/start", testid: "scan-start" }, t("scan_start")),
      h("a", { class: "btn big", href: "#/join", testid: "join" }, t("join"))
    );
    const sections = [actions];
    if (loginNeeded) sections.push(h("p", { class: "alert" }, t("login_again"), " ", h("a", { href: CONFIG.login }, t("login"))));
    const open = Object.values(visits).filter((v) => !v.done);
    if (open.length) {
      sections.push(h("h2", {}, t("in_progress")));
      for (const visit of open) {
        sections.push(
          h(
            "a",
            { class: "card link", href: "#/visit/" + visit.localId, testid: "open-visit" },
            h("strong", {}, visit.elevator.building, visit.corrects ? ` (${t("correction")})` : ""),
            h("div", { class: "muted small" }, visit.elevator.register_code, " · ", localTime(visit.started_at))
          )
        );
      }
    }
    const groups = { overdue: [], today: [], upcoming: [] };
    for (const visit of (agenda && agenda.visits) || []) groups[visit.when].push(visit);
    for (const when of ["overdue", "today", "upcoming"]) {
      if (!groups[when].length) continue;
      sections.push(h("h2", { testid: "section-" + when }, t(when), ` (${groups[when].length})`));
      sections.push(...groups[when].map(visitCard));
    }
    if (!agenda || !agenda.visits.length) sections.push(h("p", { class: "muted" }, t("nothing")));
    sections.push(h("p", { class: "foot" }, h("a", { href: CONFIG.web }, t("web"))));
    show(...sections);
  }

  // --- start a visit ------------------------------------------------------------------------------------------

  function findElevator(text) {
    text = (text || "").trim();
    const token = text.includes("/e/") ? text.split("/e/").pop().split(/[?#/]/)[0] : null;
    return ((agenda && agenda.visits) || []).find((v) =>
      token ? v.elevator.qr_token === token : v.elevator.register_code === text || v.elevator.qr_token === text
    );
  }

  async function startScreen(code) {
    if (!agenda) await loadAgenda();
    if (!code) {
      const input = h("input", { inputmode: "numeric", maxlength: 20, placeholder: t("register_code"), testid: "register-code" });
      const message = h("p", { class: "muted small" });
      const scan = await scanner(
        (text) => (/^JOIN:/.test(text) ? false : go("#/start/" + encodeURIComponent(text))),
        (reason) => (message.textContent = t("camera_failed", { reason }))
      );
      return show(
        h("a", { href: "#/", class: "back" }, "‹ ", t("back")),
        h("h1", {}, t("scan_start")),
        scan,
        message,
        h("label", {}, t("or_type")),
        h("div", { class: "row" }, input, h("button", { class: "btn primary", type: "button", testid: "code-next", onclick: () => go("#/start/" + encodeURIComponent(input.value.trim())) }, t("next")))
      );
    }
    const planned = findElevator(code);
    const elevator = planned ? planned.elevator : null;
    const state = { position: null, selfie: null };
    const error = h("p", { class: "alert hidden", testid: "start-error" });
    const submit = h("button", { class: "btn primary big", type: "button", testid: "start-submit" }, t("start"));
    submit.addEventListener("click", async () => {
      error.classList.add("hidden");
      await photosReady();
      if (!state.selfie) return fail(t("need_selfie"));
      if (!state.position) return fail(t("need_position"));
      submit.disabled = true;
      submit.textContent = t("starting");
      try {
        await startVisit(code, planned, state);
      } catch (problem) {
        fail(problem.message);
      } finally {
        submit.disabled = false;
        submit.textContent = t("start");
      }
    });
    function fail(message) {
      error.textContent = message;
      error.classList.remove("hidden");
    }
    show(
      h("a", { href: "#/start", class: "back" }, "‹ ", t("back")),
      h("h1", {}, t("start")),
      h(
        "div",
        { class: "card", testid: "start-elevator" },
        h("strong", {}, elevator ? elevator.building : code),
        elevator ? h("div", { class: "muted small" }, elevator.register_code, " · ", elevator.address, " · ", planned.cycle_label) : null
      ),
      positionBlock(state, elevator),
      h("div", { class: "field" }, h("label", {}, t("selfie")), photoInput({ label: t("take_selfie"), facing: "user", side: 1024, testid: "selfie", onPhoto: (blob) => (state.selfie = blob) })),
      error,
      submit
    );
  }

  async function startVisit(code, planned, state) {
    const localId = newId();
    const startedAt = new Date().toISOString();
    const joinCode = String(Math.floor(Math.random() * 1e6)).padStart(6, "0");
    const entry = {
      kind: "start",
      visit: localId,
      data: {
        elevator: planned ? planned.elevator.register_code : code,
        latitude: state.position.latitude,
        longitude: state.position.longitude,
        accuracy: state.position.accuracy,
        started_at: startedAt,
        join_code: joinCode,
      },
      files: { selfie: state.selfie },
    };
    const visit = {
      localId,
      serverId: null,
      elevator: planned ? planned.elevator : { register_code: code, building: code, address: "" },
      cycle: planned ? planned.cycle : "half_month",
      work_type: planned ? planned.work_type : "HM",
      join_code: joinCode,
      started_at: startedAt,
      role: "first",
      workers: [{ name: CONFIG.user.name, role: "first", user_id: CONFIG.user.id }],
      items: planned ? catalogueItems(planned.catalogue, planned.notes) : [],
    };
    if (navigator.onLine) {
      try {
        const body = await send(entry);
        visits[localId] = visit;
        accepted(entry, body);
        const state = await call("GET", `/mobile/records/${body.id}`);
        visit.items = state.items.map((item) => ({ ...item, photo: null }));
        await saveVisits();
        return go("#/visit/" + localId);
      } catch (error) {
        if (error instanceof Refused) throw error;  // the platform said no: the worker sees why, on this screen
      }
    }
    if (!planned) throw new Error(t("unknown_elevator"));
    visit.offline = true;
    visits[localId] = visit;
    await saveVisits();
    await queue(entry);
    toast(t("network_error"));
    go("#/visit/" + localId);
  }

  // --- the visit: join code, workers, items -------------------------------------------------------------------

  function joinCodeBlock(visit) {
    const box = h("div", { class: "card center", testid: "join-block" });
    box.append(h("div", { class: "muted small" }, t("join_hint")));
    const code = h("div", { class: "code", testid: "join-code" }, visit.join_code || "—");
    box.append(code);
    if (visit.join_code) library("qrcode", "qrcode").then(() => code.before(joinQr(visit.join_code))).catch(() => null);
    return box;
  }

  function joinQr(joinCode) {
    const qr = window.qrcode(0, "M");
    qr.addData("JOIN:" + joinCode);
    qr.make();
    const modules = qr.getModuleCount();
    const cell = 6;
    const canvas = h("canvas", { class: "qr", testid: "join-qr", width: (modules + 8) * cell, height: (modules + 8) * cell });
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = "#000";
    for (let row = 0; row < modules; row++) {
      for (let col = 0; col < modules; col++) {
        if (qr.isDark(row, col)) context.fillRect((col + 4) * cell, (row + 4) * cell, cell, cell);
      }
    }
    return canvas;
  }

  function itemCard(visit, item) {
    const card = h("div", { class: "item" + (item.result ? " done" : ""), testid: "item", "data-code": item.code });
    const draft = { result: item.result, note: item.note || "", measured_value: item.measured_value, photo: null };
    const error = h("div", { class: "alert small hidden" });
    const extra = h("div", { class: "extra" });

    function renderExtra() {
      extra.replaceChildren();
      const needsNote = draft.result === "abnormal" || draft.result === "not_applicable";
      if (draft.result && (needsNote || item.judgement === "numeric" || item.needs_photo || draft.result === "replaced")) {
        if (draft.result !== "not_applicable" && item.judgement === "numeric") {
          const limit = [item.lower_limit, item.upper_limit].map((v) => (v === null ? "" : v)).join(" – ");
          const value = h("input", { type: "number", step: "any", inputmode: "decimal", value: draft.measured_value ?? "", testid: "measured" });
          const warn = h("span", { class: "bad-text small" });
          const check = () => {
            draft.measured_value = value.value;
            const number = parseFloat(value.value);
            const out = !isNaN(number) && ((item.lower_limit !== null && number < item.lower_limit) || (item.upper_limit !== null && number > item.upper_limit));
            warn.textContent = out ? t("out_of_limit") : "";
          };
          value.addEventListener("input", check);
          check();
          extra.append(h("label", {}, t("measured"), " (", item.unit, ") ", h("span", { class: "muted" }, t("limit", { limit }))), h("div", { class: "row" }, value, warn));
        }
        const components = visit.elevator.components || [];
        if (draft.result === "replaced" && components.length) {
          const select = h("select", { testid: "component" }, h("option", { value: "" }, "—"));
          for (const c of components) select.append(h("option", { value: c.id, selected: String(c.id) === String(draft.component) }, c.name));
          select.addEventListener("change", () => (draft.component = select.value));
          extra.append(h("label", {}, t("component")), select);
        }
        const note = h("input", { type: "text", maxlength: 300, value: draft.note, testid: "note" });
        note.addEventListener("input", () => (draft.note = note.value));
        extra.append(h("label", {}, draft.result === "abnormal" ? t("note_abnormal") : draft.result === "not_applicable" ? t("note_na") : t("note")), note);
        if (item.needs_photo && draft.result !== "not_applicable") {
          extra.append(
            h("label", {}, t("photo"), item.has_photo ? " ✓" : ""),
            photoInput({ label: t("take_photo"), facing: "environment", side: 1600, testid: "item-photo", onPhoto: (blob) => (draft.photo = blob) })
          );
        }
        extra.append(h("button", { type: "button", class: "btn primary", testid: "item-save", onclick: save }, t("save")));
      }
    }

    async function save() {
      error.classList.add("hidden");
      await photosReady();
      const problem =
        (draft.result === "abnormal" || draft.result === "not_applicable") && !draft.note.trim()
          ? t("needs_note")
          : draft.result !== "not_applicable" && item.judgement === "numeric" && (draft.measured_value === null || draft.measured_value === "")
            ? t("needs_value")
            : draft.result !== "not_applicable" && item.needs_photo && !draft.photo && !item.has_photo
              ? t("needs_photo")
              : null;
      if (problem) {
        error.textContent = problem;
        error.classList.remove("hidden");
        return;
      }
      item.result = draft.result;
      item.note = draft.note.trim();
      item.measured_value = draft.measured_value === "" ? null : draft.measured_value;
      if (draft.photo) item.has_photo = true;
      await saveVisits();
      await queue({
        kind: "answer",
        visit: visit.localId,
        data: {
          item_id: item.item_id,
          code: item.code,
          result: item.result,
          note: item.note,
          measured_value: item.measured_value ?? "",
          component: draft.result === "replaced" ? draft.component || "" : "",
          answered_at: new Date().toISOString(),
        },
        files: { photo: draft.photo },
      });
      draft.photo = null;
      card.classList.add("done");
      extra.replaceChildren();
      updateProgress(visit);
      const refused = (await outbox.all()).find((e) => e.visit === visit.localId && e.error);
      if (refused) toast(t("refused", { reason: refused.error }), "bad");
    }

    const buttons = h("div", { class: "results" });
    for (const [value, label] of CONFIG.results) {
      const button = h("button", { type: "button", class: "choice" + (draft.result === value ? " on" : ""), "data-result": value }, label);
      button.addEventListener("click", () => {
        draft.result = value;
        for (const other of buttons.children) other.classList.toggle("on", other === button);
        const simple = value !== "abnormal" && value !== "not_applicable" && item.judgement !== "numeric" && !item.needs_photo && value !== "replaced";
        if (simple) save();
        else renderExtra();
      });
      buttons.append(button);
    }
    card.append(
      h("div", { class: "row between" }, h("strong", {}, item.code), item.needs_photo ? h("span", { class: "pill" }, "📷") : null),
      h("div", { class: "small" }, item.requirement),
      buttons,
      extra,
      error
    );
    return card;
  }

  function updateProgress(visit) {
    const progress = document.querySelector("[data-testid=progress]");
    if (!progress) return;
    const done = visit.items.filter((i) => i.result).length;
    progress.textContent = t("answered", { done, all: visit.items.length });
  }

  let pollTimer = null;
  async function visitScreen(localId) {
    const visit = visits[localId];
    if (!visit) return go("#/");
    if (visit.finished) return go(`#/visit/${localId}/sign`);
    const workers = h("div", { class: "small", testid: "workers" });
    const renderWorkers = () => {
      workers.replaceChildren(t("workers"), "：", visit.workers.map((w) => w.name).join("、"));
      if (visit.workers.length < 2) workers.append(h("span", { class: "muted" }, " · ", t("waiting_second")));
    };
    renderWorkers();
    if (visit.role === "second") {
      return show(
        h("a", { href: "#/", class: "back" }, "‹ ", t("back")),
        h("h1", {}, t("joined", { code: visit.elevator.register_code || visit.join_code })),
        h("div", { class: "card" }, h("strong", {}, visit.elevator.building || ""), workers)
      );
    }
    const parts = [];
    const byPart = new Map();
    for (const item of visit.items) {
      if (!byPart.has(item.part)) byPart.set(item.part, []);
      byPart.get(item.part).push(item);
    }
    for (const [part, items] of byPart) {
      parts.push(h("details", { class: "part", open: true }, h("summary", {}, part, ` (${items.length})`), ...items.map((item) => itemCard(visit, item))));
    }
    show(
      h("a", { href: "#/", class: "back" }, "‹ ", t("back")),
      h("h1", {}, visit.elevator.building, visit.corrects ? ` (${t("correction")})` : ""),
      h("div", { class: "muted small" }, visit.elevator.register_code, " · ", localTime(visit.started_at)),
      visit.offline && !visit.serverId ? h("p", { class: "alert small" }, t("started_offline")) : null,
      visit.corrects ? null : joinCodeBlock(visit),
      workers,
      h("h2", {}, t("items"), " ", h("span", { class: "muted small", testid: "progress" })),
      ...parts,
      h("a", { class: "btn primary big", href: `#/visit/${localId}/finish`, testid: "to-finish" }, t("finish"))
    );
    updateProgress(visit);
    clearInterval(pollTimer);
    pollTimer = setInterval(async () => {
      if (location.hash !== "#/visit/" + localId) return clearInterval(pollTimer);
      if (!navigator.onLine || !visit.serverId || visit.workers.length >= 2) return;
      try {
        const state = await call("GET", `/mobile/records/${visit.serverId}`);
        visit.workers = state.workers;
        await saveVisits();
        renderWorkers();
      } catch (error) {
        /* offline or refused: the next tick tries again */
      }
    }, 4000);
  }

  // --- finish and sign ---------------------------------------------------------------------------------------

  function finishScreen(localId) {
    const visit = visits[localId];
    if (!visit) return go("#/");
    const chosen = new Set();
    const error = h("p", { class: "alert hidden", testid: "finish-error" });
    const hazards = h("div", { class: "hazards" });
    for (const [code, label] of CONFIG.hazards) {
      const box = h("input", { type: "checkbox", value: code, testid: "hazard-" + code });
      box.addEventListener("change", () => (box.checked ? chosen.add(code) : chosen.delete(code)));
      hazards.append(h("label", { class: "check" }, box, " ", label));
    }
    const workType = h("select", { testid: "work-type" });
    const allowed = CONFIG.work_types.filter(([code]) => code !== "FM" || visit.work_type === "FM");
    for (const [code, label] of allowed) workType.append(h("option", { value: code, selected: code === visit.work_type }, `${code} ${label}`));
    const submit = h("button", { class: "btn primary big", type: "button", testid: "finish-submit" }, t("finish"));
    submit.addEventListener("click", async () => {
      error.classList.add("hidden");
      const unanswered = visit.items.filter((i) => !i.result).length;
      const problem = unanswered
        ? t("unanswered", { n: unanswered })
        : !chosen.size
          ? t("choose_hazard")
          : chosen.has("S0") && chosen.size > 1
            ? t("s0_alone")
            : visit.serverId && !visit.offline && visit.workers.length < 2 && navigator.onLine
              ? t("need_two")
              : null;
      if (problem) {
        error.textContent = problem;
        error.classList.remove("hidden");
        return;
      }
      visit.finished = true;
      visit.finished_at = new Date().toISOString();
      await saveVisits();
      await queue({ kind: "finish", visit: localId, data: { hazard_codes: [...chosen].sort(), work_type: workType.value, finished_at: visit.finished_at } });
      const refused = (await outbox.all()).find((e) => e.visit === localId && e.kind === "finish" && e.error);
      if (refused) {
        visit.finished = false;
        await saveVisits();
        await outbox.remove(refused.id);
        error.textContent = refused.error;
        error.classList.remove("hidden");
        await updateBar();
        return;
      }
      toast(t("finished"));
      go(`#/visit/${localId}/sign`);
    });
    show(
      h("a", { href: "#/visit/" + localId, class: "back" }, "‹ ", t("back")),
      h("h1", {}, t("finish")),
      h("div", { class: "muted small" }, visit.elevator.building, " · ", visit.elevator.register_code),
      h("h2", {}, t("hazards")),
      hazards,
      h("div", { class: "field" }, h("label", {}, t("work_type")), workType),
      h("p", { class: "muted small" }, t("finish_hint")),
      error,
      submit
    );
  }

  function signScreen(localId) {
    const visit = visits[localId];
    if (!visit) return go("#/");
    const canvas = h("canvas", { class: "pad", testid: "signature-pad" });
    const name = h("input", { type: "text", maxlength: 60, testid: "signer-name" });
    const error = h("p", { class: "alert hidden", testid: "sign-error" });
    let pad = null;
    const submit = h("button", { class: "btn primary big", type: "button", testid: "sign-submit" }, t("confirm"));
    submit.addEventListener("click", async () => {
      error.classList.add("hidden");
      const problem = !name.value.trim() ? t("need_signer") : !pad || pad.isEmpty() ? t("need_signature") : null;
      if (problem) {
        error.textContent = problem;
        error.classList.remove("hidden");
        return;
      }
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      visit.done = true;
      await saveVisits();
      await queue({ kind: "confirm", visit: localId, data: { signer_name: name.value.trim(), confirmed_at: new Date().toISOString() }, files: { signature: blob } });
      toast(navigator.onLine ? t("confirmed") : t("network_error"));
      go("#/");
    });
    const later = h("button", { class: "btn", type: "button", testid: "sign-later" }, t("sign_later"));
    later.addEventListener("click", async () => {
      visit.done = true;
      await saveVisits();
      go("#/");
    });
    show(
      h("h1", {}, t("sign")),
      h("div", { class: "muted small" }, visit.elevator.building, " · ", visit.elevator.register_code),
      h("div", { class: "field" }, h("label", {}, t("signer_name")), name),
      canvas,
      h("div", { class: "row" }, h("button", { class: "btn small", type: "button", onclick: () => pad && pad.clear() }, t("clear"))),
      error,
      submit,
      later
    );
    library("signature_pad", "SignaturePad").then((SignaturePad) => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad = new SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)" });
      canvas.dataset.ready = "1";
    });
  }

  // --- join as the second worker ------------------------------------------------------------------------------

  async function joinScreen(code) {
    if (!code) {
      const input = h("input", { inputmode: "numeric", maxlength: 6, placeholder: "000000", testid: "join-input" });
      const message = h("p", { class: "muted small" });
      const scan = await scanner(
        (text) => {
          const code = text.match(/^(?:JOIN:)?(\d{6})$/);  // an elevator's sign seen on the way is not a join code
          return code ? go("#/join/" + code[1]) : false;
        },
        (reason) => (message.textContent = t("camera_failed", { reason }))
      );
      return show(
        h("a", { href: "#/", class: "back" }, "‹ ", t("back")),
        h("h1", {}, t("scan_join")),
        scan,
        message,
        h("label", {}, t("type_join")),
        h("div", { class: "row" }, input, h("button", { class: "btn primary", type: "button", testid: "join-next", onclick: () => go("#/join/" + encodeURIComponent(input.value.trim())) }, t("next")))
      );
    }
    const state = { position: null, selfie: null };
    const error = h("p", { class: "alert hidden", testid: "join-error" });
    const submit = h("button", { class: "btn primary big", type: "button", testid: "join-submit" }, t("join"));
    submit.addEventListener("click", async () => {
      error.classList.add("hidden");
      await photosReady();
      const problem = !state.selfie ? t("need_selfie") : !state.position ? t("need_position") : null;
      if (problem) {
        error.textContent = problem;
        error.classList.remove("hidden");
        return;
      }
      const localId = newId();
      const entry = {
        kind: "join",
        visit: localId,
        data: { code, latitude: state.position.latitude, longitude: state.position.longitude, accuracy: state.position.accuracy, joined_at: new Date().toISOString() },
        files: { selfie: state.selfie },
      };
      const visit = { localId, serverId: null, role: "second", join_code: code, elevator: { register_code: "", building: "" }, workers: [], items: [], started_at: entry.data.joined_at, done: true };
      submit.disabled = true;
      try {
        if (navigator.onLine) {
          try {
            const body = await send(entry);
            visits[localId] = visit;
            accepted(entry, body);
            visit.elevator = { register_code: body.register_code, building: "" };
            await saveVisits();
            toast(t("joined", { code: body.register_code }));
            return go("#/visit/" + localId);
          } catch (problem) {
            if (problem instanceof Refused) throw problem;
          }
        }
        visits[localId] = visit;
        await saveVisits();
        await queue(entry);
        toast(t("network_error"));
        go("#/");
      } catch (problem) {
        error.textContent = problem.message;
        error.classList.remove("hidden");
      } finally {
        submit.disabled = false;
      }
    });
    show(
      h("a", { href: "#/join", class: "back" }, "‹ ", t("back")),
      h("h1", {}, t("join")),
      h("div", { class: "card" }, t("join_code"), " ", h("strong", { testid: "join-code-chosen" }, code)),
      positionBlock(state, null),
      h("div", { class: "field" }, h("label", {}, t("selfie")), photoInput({ label: t("take_selfie"), facing: "user", side: 1024, testid: "selfie", onPhoto: (blob) => (state.selfie = blob) })),
      error,
      submit
    );
  }

  // --- the outbox screen ----------------------------------------------------------------------------------------

  async function queueScreen() {
    const entries = await outbox.all();
    const rows = entries.map((entry) => {
      const visit = visits[entry.visit] || { elevator: {} };
      const row = h(
        "div",
        { class: "card" + (entry.error ? " refused" : ""), testid: "queued" },
        h("strong", {}, t("kind_" + entry.kind), entry.data.code ? " " + entry.data.code : ""),
        h("div", { class: "muted small" }, visit.elevator.register_code || "", " · ", localTime(entry.created_at))
      );
      if (entry.error) {
        row.append(
          h("div", { class: "bad-text small", testid: "queued-error" }, t("refused", { reason: entry.error })),
          h(
            "div",
            { class: "row" },
            h("button", { class: "btn small", type: "button", testid: "queued-retry", onclick: async () => {
              entry.retry = true;
              entry.error = null;
              await outbox.put(entry);
              await flush();
              queueScreen();
            } }, t("retry")),
            h("button", { class: "btn small", type: "button", testid: "queued-discard", onclick: async () => {
              const visit = visits[entry.visit];
              const orphans = entry.kind === "start" || entry.kind === "join" ? entries.filter((e) => e.visit === entry.visit && e.id !== entry.id) : [];
              if (!window.confirm(t("discard_confirm") + (orphans.length ? " " + t("discard_visit", { n: orphans.length }) : ""))) return;
              await outbox.remove(entry.id);
              if (entry.kind === "start" || entry.kind === "join") {
                // what waited behind a start that will never be made cannot be sent either
                for (const orphan of orphans) await outbox.remove(orphan.id);
                if (visit) visit.done = true;
                await saveVisits();
              }
              await updateBar();
              queueScreen();
            } }, t("discard"))
          )
        );
      }
      return row;
    });
    const sendNow = h("button", { class: "btn primary", type: "button", testid: "send-now" }, t("send_now"));
    sendNow.addEventListener("click", async () => {
      sendNow.textContent = t("sending");
      const left = await flush();
      toast(left.length ? t("queued", { n: left.length }) : t("sent_all"));
      queueScreen();
    });
    show(
      h("a", { href: "#/", class: "back" }, "‹ ", t("back")),
      h("h1", {}, t("queue")),
      loginNeeded ? h("p", { class: "alert" }, t("login_again"), " ", h("a", { href: CONFIG.login }, t("login"))) : null,
      rows.length ? rows : h("p", { class: "muted" }, t("queue_empty")),
      rows.length ? sendNow : null
    );
  }

  // --- routing --------------------------------------------------------------------------------------------------

  async function route() {
    stopCamera();
    const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    try {
      if (parts[0] === "start") await startScreen(parts[1]);
      else if (parts[0] === "join") await joinScreen(parts[1]);
      else if (parts[0] === "visit" && parts[2] === "finish") finishScreen(parts[1]);
      else if (parts[0] === "visit" && parts[2] === "sign") signScreen(parts[1]);
      else if (parts[0] === "visit") await visitScreen(parts[1]);
      else if (parts[0] === "queue") await queueScreen();
      else await home();
    } catch (error) {
      show(h("p", { class: "alert" }, t("error", { reason: error.message })), h("a", { href: "#/" }, t("back")));
    }
    await updateBar();
  }

  document.getElementById("queue-button").addEventListener("click", () => go("#/queue"));
  window.addEventListener("hashchange", route);

  (async function boot() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(CONFIG.sw, { scope: CONFIG.app }).catch(() => null);
    }
    await loadVisits();
    await updateBar();
    if (navigator.onLine) flush();
    route();
  })();
})();
