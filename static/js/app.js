// Small behaviours shared by every page; no build step.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
});

// Table toolbars (账号维护): act on the checked row, as the seed's back office does.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-row-action]");
  if (!button) return;
  const table = document.querySelector(button.dataset.table || "table");
  const checked = table ? [...table.querySelectorAll("input[name=selection]:checked")] : [];
  const feedback = document.querySelector("[data-toolbar-feedback]");
  if (checked.length !== 1) {
    event.preventDefault();
    if (feedback) { feedback.textContent = feedback.dataset.message; feedback.classList.remove("d-none"); }
    return;
  }
  window.location.href = button.dataset.rowAction.replace("/0/", `/${checked[0].value}/`);
});
document.addEventListener("change", (event) => {
  if (event.target.matches("input[name=selection]")) {
    event.target.closest("tr").classList.toggle("selected", event.target.checked);
  }
});

// Map location picker: click the map or type coordinates; WGS-84 is stored.
function initMapPicker(el) {
  if (!window.L) return;
  const lat = document.getElementById(el.dataset.latInput);
  const lng = document.getElementById(el.dataset.lngInput);
  const center = [parseFloat(lat.value) || parseFloat(el.dataset.centerLat), parseFloat(lng.value) || parseFloat(el.dataset.centerLng)];
  const map = L.map(el).setView(center, lat.value ? 15 : 11);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  let marker = lat.value && lng.value ? L.marker(center).addTo(map) : null;
  const place = (latlng) => {
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    if (marker) marker.setLatLng(latlng); else marker = L.marker(latlng).addTo(map);
    el.dataset.picked = "1";
  };
  if (el.dataset.readonly !== "1") {
    map.on("click", (e) => place(e.latlng));
    [lat, lng].forEach((input) => input.addEventListener("change", () => {
      const la = parseFloat(lat.value), ln = parseFloat(lng.value);
      if (!isNaN(la) && !isNaN(ln)) { place(L.latLng(la, ln)); map.setView([la, ln]); }
    }));
  }
  el._map = map;
}
// 打印标识牌: the checked elevators on A4 label sheets.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-sign-sheet]");
  if (!button) return;
  const checked = [...document.querySelectorAll("input[name=selection]:checked")].map((c) => c.value);
  const feedback = document.querySelector("[data-toolbar-feedback]");
  if (!checked.length) {
    if (feedback) { feedback.textContent = feedback.dataset.message; feedback.classList.remove("d-none"); }
    return;
  }
  window.open(`${button.dataset.signSheet}?${checked.map((id) => `ids=${id}`).join("&")}`, "_blank");
});

// A select with thousands of units: a search box above it fills it with the matching ones.
function initUnitPicker(select) {
  const search = document.createElement("input");
  search.type = "search";
  search.className = "form-control form-control-sm mb-1";
  search.placeholder = select.closest(".mb-3").querySelector(".form-text")?.textContent || "";
  search.setAttribute("aria-label", search.placeholder);
  search.dataset.unitSearch = select.name;
  select.before(search);
  let timer;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const response = await fetch(`${select.dataset.unitPicker}&q=${encodeURIComponent(search.value)}`);
      const { results } = await response.json();
      const current = select.value;
      select.replaceChildren(new Option("---------", ""), ...results.map((u) => new Option(u.name, u.id, false, String(u.id) === current)));
      if (results.length === 1) select.value = String(results[0].id);
    }, 250);
  });
}

// Widths computed by the server (a progress bar) come as data-width: the Content-Security-Policy allows no inline
// style attribute, a script may still set element.style. Also for content htmx swaps in later.
function applyWidths(root) {
  root.querySelectorAll("[data-width]").forEach((el) => { el.style.width = `${el.dataset.width}%`; });
}
document.addEventListener("htmx:load", (event) => applyWidths(event.target.parentElement || document));

// A cancel link that goes back where the person came from (javascript: URLs are not allowed by the CSP).
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-history-back]");
  if (link && window.history.length > 1) { event.preventDefault(); window.history.back(); }
});

document.addEventListener("DOMContentLoaded", () => {
  applyWidths(document);
  document.querySelectorAll("select[data-unit-picker]").forEach(initUnitPicker);
  document.querySelectorAll(".modal[data-show-on-load]").forEach((el) => new bootstrap.Modal(el).show());
  document.querySelectorAll("[data-map-picker]").forEach(initMapPicker);
  // Click the captcha image for a new one (django-simple-captcha's refresh view).
  document.querySelectorAll("img.captcha").forEach((img) => img.addEventListener("click", async () => {
    const response = await fetch("/captcha/refresh/", { headers: { "X-Requested-With": "XMLHttpRequest" } });
    const data = await response.json();
    img.src = data.image_url;
    document.querySelector("input[name='captcha_0']").value = data.key;
  }));
});

// A long multi-select (a drill's elevators) with data-option-filter: a search box above it hides the options that
// do not contain the text typed; the chosen ones stay chosen (and shown), and a line counts them.
function initOptionFilter(select) {
  const box = document.createElement("input");
  box.type = "search";
  box.className = "form-control form-control-sm mb-1";
  box.placeholder = select.dataset.optionFilter;
  box.setAttribute("aria-label", select.dataset.optionFilter);
  box.dataset.testid = "option-filter";
  const count = document.createElement("div");
  count.className = "small text-muted mt-1";
  count.dataset.testid = "option-count";
  const showCount = () => {
    count.textContent = (select.dataset.optionCount || "{n}").replace("{n}", select.selectedOptions.length);
  };
  box.addEventListener("input", () => {
    const text = box.value.trim().toUpperCase();
    Array.from(select.options).forEach((option) => {
      option.hidden = Boolean(text) && !option.selected && !option.text.toUpperCase().includes(text);
    });
  });
  select.addEventListener("change", showCount);
  select.before(box);
  select.after(count);
  showCount();
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-option-filter]").forEach(initOptionFilter);
});
