/* mirscope workbench UI: plain JavaScript over the JSON API (no framework, no CDN).
 * The network uses the Cytoscape.js React component of the installed dash-cytoscape
 * package (served from /vendor), rendered with React from the installed dash package. */
(function () {
  "use strict";

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }

  function showMessage(text, kind) {
    const box = $("#message");
    if (!text) { box.hidden = true; box.textContent = ""; return; }
    box.textContent = text;
    box.className = "message " + (kind || "error");
    box.hidden = false;
  }

  function errorText(status, body) {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) {
      return body.detail.map(d => (d.loc ? d.loc.slice(1).join(".") + ": " : "") + d.msg).join("; ");
    }
    return "Request failed with HTTP " + status;
  }

  function authHeaders(extra) {
    const h = Object.assign({}, extra || {});
    const tok = sessionStorage.getItem("mirscope-token");
    if (tok) h.Authorization = "Bearer " + tok;
    return h;
  }
  const tokenInput = $("#token");
  if (tokenInput) {
    tokenInput.value = sessionStorage.getItem("mirscope-token") || "";
    tokenInput.addEventListener("change", () => sessionStorage.setItem("mirscope-token", tokenInput.value.trim()));
  }

  async function api(url, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = authHeaders(opts.headers);
    const resp = await fetch(url, opts);
    const type = resp.headers.get("content-type") || "";
    const body = type.includes("json") ? await resp.json() : await resp.text();
    if (!resp.ok) {
      const err = new Error(errorText(resp.status, body));
      err.status = resp.status;
      throw err;
    }
    return body;
  }

  function params(obj) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(obj)) {
      if (Array.isArray(v)) { for (const x of v) p.append(k, String(x)); continue; }
      if (v !== null && v !== undefined && String(v).trim() !== "") p.set(k, String(v).trim());
    }
    return p.toString();
  }

  function formValues(form, multi) {
    const out = {};
    for (const name of multi || []) out[name] = [];
    for (const [k, v] of new FormData(form).entries()) {
      if (typeof v !== "string") continue;
      if (multi && multi.includes(k)) out[k].push(v.trim()); else out[k] = v.trim();
    }
    return out;
  }

  /* Run fn with the button disabled; on failure show the error and call clear() so no
   * result of an earlier request stays on screen where it could pass for the new one. */
  async function busy(button, fn, clear) {
    button.disabled = true;
    document.body.classList.add("busy");
    showMessage("");
    try { await fn(); } catch (e) {
      if (clear) { try { clear(); } catch (_) { /* nothing to clear */ } }
      showMessage(e.message);
    } finally {
      button.disabled = false;
      document.body.classList.remove("busy");
    }
  }

  /* ---------------- the current search (every tab follows it) ---------------- */
  const ctx = { mirna: "miR-124", cancer: "" };
  const shown = {};  // tab -> context key of the result it shows
  const ctxKey = () => ctx.mirna + "|" + ctx.cancer;

  function setContext(update) {
    Object.assign(ctx, update);
    for (const field of ["mirna", "cancer"]) {
      if (!(field in update)) continue;
      for (const input of $$('[data-follow="' + field + '"]')) {
        if (input.closest(".perturbation") && input.closest(".perturbation") !== $("#perturbations .perturbation")) continue;
        input.value = ctx[field];
      }
    }
    $("#context").textContent = "miRNA " + (ctx.mirna || "any") + (ctx.cancer ? " · cancer " + ctx.cancer : "");
  }

  function contextFrom(form) {
    const update = {};
    for (const field of ["mirna", "cancer"]) {
      const input = form.querySelector('[data-follow="' + field + '"]');
      if (input) update[field] = input.value.trim();
    }
    if (update.mirna !== undefined && !update.mirna) delete update.mirna;
    setContext(update);
  }

  let netCancer = "";  // cancer filter of the network shown (node details use it too)

  /* ---------------- tabs ---------------- */
  const AUTOLOAD = {};  // tab -> function that reloads it for the current search

  function openTab(name) {
    $$(".tab").forEach(t => t.classList.toggle("active", t.dataset.tab === name));
    $$(".panel").forEach(p => p.classList.toggle("active", p.id === "panel-" + name));
    if (name === "network" && window.cy) window.cy.resize();
    if (AUTOLOAD[name] && shown[name] !== undefined && shown[name] !== ctxKey()) AUTOLOAD[name]();
  }
  $$(".tab").forEach(t => t.addEventListener("click", () => openTab(t.dataset.tab)));

  /* ---------------- evidence ---------------- */
  function refsText(refs) { return (refs || []).map(r => "[" + r + "]").join(" "); }

  function pmidOf(r) {
    if (r.numbers && r.numbers.pmid) return String(r.numbers.pmid);
    const m = /PMID:?\s*(\d+)/i.exec(r.source_id || "");
    return m ? m[1] : null;
  }

  function refsCell(r) {
    const pmid = pmidOf(r);
    return el("td", {}, refsText(r.refs), pmid ? el("a", {
      class: "pubmed", href: "https://pubmed.ncbi.nlm.nih.gov/" + pmid + "/", target: "_blank",
      rel: "noopener noreferrer", title: "Open in PubMed" }, "PMID " + pmid) : null);
  }

  function evidenceRow(r) {
    return el("tr", {},
      el("td", {}, r.subject), el("td", {}, r.relation), el("td", {}, r.object),
      el("td", {}, r.cancer || ""), el("td", {}, r.direction || ""),
      el("td", {}, (r.assays || []).join(", ")),
      refsCell(r),
      el("td", { class: "provenance" }, r.evidence || "",
        el("div", { class: "muted small" }, "source: " + r.source + (r.source_id ? " " + r.source_id : "") +
          (r.evidence_start !== null && r.evidence_start !== undefined ? " · review chars " + r.evidence_start + "–" + r.evidence_end : "") +
          ((r.flags || []).length ? " · flags: " + r.flags.join(", ") : ""))));
  }

  const evPage = { offset: 0, limit: 50, sort: null, order: "asc", total: 0 };

  function clearEvidence() {
    $("#evidence-table tbody").replaceChildren();
    $("#evidence-count").textContent = "";
    evPage.total = 0;
    $("#ev-prev").disabled = true;
    $("#ev-next").disabled = true;
  }

  async function loadEvidence() {
    const q = formValues($("#evidence-form"));
    const sort = evPage.sort ? { sort: evPage.sort, order: evPage.order } : {};
    $("#evidence-tsv").href = "/api/evidence?" + params(Object.assign({}, q, sort, { format: "tsv", limit: 5000 }));
    const data = await api("/api/evidence?" + params(Object.assign({}, q, sort, { limit: evPage.limit, offset: evPage.offset })));
    evPage.total = data.total;
    $("#evidence-table tbody").replaceChildren(...data.records.map(evidenceRow));
    const first = data.records.length ? data.offset + 1 : 0;
    $("#evidence-count").textContent = data.total + " record" + (data.total === 1 ? "" : "s") +
      (data.total ? " · showing " + first + "–" + (data.offset + data.records.length) : "") +
      " for " + Object.entries(data.query).filter(([, v]) => v).map(([k, v]) => k + "=" + v).join(", ");
    $("#ev-prev").disabled = data.offset === 0;
    $("#ev-next").disabled = !data.truncated;
    $$("#evidence-table th[data-sort]").forEach(th => {
      th.classList.toggle("sorted", th.dataset.sort === evPage.sort);
      th.dataset.order = th.dataset.sort === evPage.sort ? evPage.order : "";
    });
  }
  const reloadEvidence = () => busy($("#evidence-go"), loadEvidence, clearEvidence);
  $("#evidence-form").addEventListener("submit", ev => {
    ev.preventDefault();
    contextFrom($("#evidence-form"));
    evPage.offset = 0;
    reloadEvidence();
  });
  $("#ev-prev").addEventListener("click", () => { evPage.offset = Math.max(0, evPage.offset - evPage.limit); reloadEvidence(); });
  $("#ev-next").addEventListener("click", () => { evPage.offset += evPage.limit; reloadEvidence(); });
  $("#ev-size").addEventListener("change", () => { evPage.limit = Number($("#ev-size").value); evPage.offset = 0; reloadEvidence(); });
  $$("#evidence-table th[data-sort]").forEach(th => th.addEventListener("click", () => {
    if (evPage.sort === th.dataset.sort) evPage.order = evPage.order === "asc" ? "desc" : "asc";
    else { evPage.sort = th.dataset.sort; evPage.order = "asc"; }
    evPage.offset = 0;
    reloadEvidence();
  }));

  /* ---------------- targets ---------------- */
  function pubmedLinks(ids) {
    const shown = (ids || []).slice(0, 8);
    const out = [];
    shown.forEach((p, i) => {
      if (i) out.push(", ");
      out.push(el("a", { href: "https://pubmed.ncbi.nlm.nih.gov/" + encodeURIComponent(p) + "/", target: "_blank", rel: "noopener" }, String(p)));
    });
    if ((ids || []).length > shown.length) out.push(" (+" + (ids.length - shown.length) + ")");
    return out;
  }

  function targetRow(t) {
    return el("tr", {},
      el("td", {}, t.rank), el("td", {}, t.gene), el("td", {}, t.score), el("td", {}, t.n_references),
      el("td", {}, (t.experiments || []).join(", ")), el("td", {}, (t.weak_experiments || []).join(", ")),
      el("td", {}, (t.sources || []).join(", ")), el("td", {}, (t.cancers || []).join(", ")),
      el("td", {}, ...pubmedLinks(t.pmids)),
      el("td", { class: "provenance" }, t.review_sentence || ""));
  }

  async function loadTargets() {
    const q = formValues($("#targets-form"));
    $("#targets-tsv").href = "/api/targets?" + params(Object.assign({}, q, { format: "tsv" }));
    const data = await api("/api/targets?" + params(q));
    $("#targets-table tbody").replaceChildren(...data.targets.slice(0, 200).map(targetRow));
    $("#targets-count").textContent = data.count + " target gene" + (data.count === 1 ? "" : "s") +
      " of " + data.mirna + (data.cancer ? " in " + data.cancer : "") +
      (data.count > 200 ? " (first 200 shown)" : "") + ", ranked by evidence strength";
  }
  $("#targets-form").addEventListener("submit", ev => { ev.preventDefault(); busy($("#targets-go"), loadTargets); });

  /* ---------------- search ---------------- */
  /* A miRNA found by the search becomes the miRNA of every tab (evidence, targets, network,
   * sites); the user's arm-less spelling (miR-34a) is kept, so every tab means both arms. */
  function setMirnaEverywhere(name) {
    for (const id of ["#evidence-form", "#targets-form", "#network-form", "#sites-form"]) {
      const form = $(id);
      if (form && form.elements.mirna) form.elements.mirna.value = name;
    }
  }

  const FILTER_BY_TYPE = { mirna: "mirna", gene: "gene", cancer: "cancer", pathway: "pathway" };

  function applyEntity(hit, spelling) {
    const form = $("#evidence-form");
    const field = FILTER_BY_TYPE[hit.type];
    const chosen = hit.type === "mirna" ? (spelling || hit.name) : hit.name;
    if (field === "mirna") { setContext({ mirna: chosen }); setMirnaEverywhere(chosen); }
    else if (field === "cancer") setContext({ cancer: hit.name });
    for (const name of ["gene", "pathway"]) form.elements[name].value = "";
    if (field === "gene" || field === "pathway") form.elements.mirna.value = "";
    if (field) {
      form.elements[field].value = chosen;
      evPage.offset = 0;
      openTab("evidence");
      reloadEvidence();
    } else {
      openTab("network");
      netCancer = "";
      showNodeDetails({ id: hit.name, label: hit.name, type: hit.type });
    }
  }

  async function search(q) {
    const data = await api("/api/entities/search?" + params({ q: q }));
    const box = $("#search-results");
    const items = [];
    if (data.resolved) items.push(data.resolved);
    for (const r of data.results) if (!data.resolved || r.name !== data.resolved.name) items.push(r);
    box.replaceChildren(
      el("span", { class: "muted" }, items.length ? "Matches: " : "No entity matches '" + q + "'. " +
        (data.suggestions.length ? "Did you mean: " : "")),
      ...items.map(h => el("button", { class: "chip " + h.type, type: "button", "data-name": h.name, onclick: () => applyEntity(h) },
        h.name, el("span", { class: "muted small" }, " " + h.type + " · " + h.n_relations))),
      ...(!items.length ? data.suggestions.map(s => el("button", { class: "chip", type: "button", onclick: () => { $("#search-q").value = s; busy($("#search-go"), () => search(s)); } }, s)) : []));
    box.hidden = false;
    if (data.resolved && FILTER_BY_TYPE[data.resolved.type]) applyEntity(data.resolved, data.resolved.type === "mirna" ? q : null);
  }
  $("#search-form").addEventListener("submit", ev => {
    ev.preventDefault();
    busy($("#search-go"), () => search($("#search-q").value.trim()), () => $("#search-results").replaceChildren());
  });

  /* ---------------- network ---------------- */
  const TYPE_COLOURS = {
    mirna: "#c0392b", gene: "#2e86c1", lncrna: "#8e44ad", circrna: "#8e44ad", pathway: "#239b56",
    phenotype: "#e67e22", therapy: "#16a085", cancer: "#7f8c8d", other: "#95a5a6",
  };
  const STYLESHEET = [
    { selector: "node", style: { label: "data(label)", "font-size": 9, "text-valign": "center", color: "#1b2631",
      "text-outline-color": "#fff", "text-outline-width": 2, width: 18, height: 18, "background-color": "#95a5a6" } },
    ...Object.entries(TYPE_COLOURS).map(([t, c]) => ({ selector: 'node[type = "' + t + '"]', style: { "background-color": c } })),
    { selector: 'node[type = "mirna"]', style: { width: 30, height: 30, "font-size": 11, "font-weight": "bold" } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#f1c40f" } },
    { selector: "edge", style: { width: 1.2, "line-color": "#aab7b8", "curve-style": "bezier", "target-arrow-shape": "triangle",
      "target-arrow-color": "#aab7b8", "arrow-scale": 0.7, opacity: 0.8 } },
    { selector: "edge[sign < 0]", style: { "line-color": "#cb4335", "target-arrow-color": "#cb4335", "target-arrow-shape": "tee" } },
    { selector: "edge[sign > 0]", style: { "line-color": "#28b463", "target-arrow-color": "#28b463" } },
  ];

  function cyElements(data) {
    const els = data.elements || data;
    let list = Array.isArray(els) ? els : [...(els.nodes || []), ...(els.edges || [])];
    const out = list.map(e => {
      const d = Object.assign({}, e.data);
      if (d.source === undefined && !d.label) d.label = d.name || d.id;
      return { data: d, group: d.source !== undefined ? "edges" : "nodes" };
    });
    const deg = {};
    for (const e of out) if (e.group === "edges") { deg[e.data.source] = (deg[e.data.source] || 0) + 1; deg[e.data.target] = (deg[e.data.target] || 0) + 1; }
    for (const e of out) if (e.group === "nodes") e.data.deg = deg[e.data.id] || 0;
    return out;
  }

  /* Layout by size: up to 60 nodes a force-directed layout; 60-300 nodes a force-directed
   * layout with stronger repulsion and node sizes in the overlap test, labels only for hubs
   * until zoomed in (readable at 50-300 nodes). */
  function layoutFor(n) {
    if (n <= 60) return { name: "cose", animate: false, randomize: false, nodeRepulsion: 6000, idealEdgeLength: 60 };
    return { name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: false,
      nodeRepulsion: 40000 + 200 * n, idealEdgeLength: 90, nodeOverlap: 40, gravity: 0.15,
      componentSpacing: 120, numIter: 2500, padding: 20 };
  }

  function stylesheetFor(n) {
    if (n <= 60) return STYLESHEET;
    return [...STYLESHEET,
      { selector: "node", style: { "font-size": 8, "min-zoomed-font-size": 9, width: "mapData(deg, 1, 30, 10, 28)", height: "mapData(deg, 1, 30, 10, 28)" } },
      { selector: "node[deg >= 8], node[type = \"mirna\"]", style: { "font-size": 11, "min-zoomed-font-size": 0 } },
      { selector: 'node[type = "mirna"]', style: { width: 34, height: 34 } },
      { selector: "edge", style: { width: 0.8, opacity: 0.55, "arrow-scale": 0.5 } },
    ];
  }

  let cyRoot = null;
  let netKey = 0;

  function renderNetwork(elements) {
    const nNodes = elements.filter(e => e.group === "nodes").length;
    const Cytoscape = window.dash_cytoscape && window.dash_cytoscape.Cytoscape;
    if (!Cytoscape || !window.React || !window.ReactDOM) throw new Error("The network component could not be loaded.");
    if (!cyRoot) cyRoot = window.ReactDOM.createRoot($("#cy-root"));
    netKey += 1;
    cyRoot.render(window.React.createElement(Cytoscape, {
      key: "net" + netKey, id: "cy", elements: elements, stylesheet: stylesheetFor(nNodes),
      layout: layoutFor(nNodes),
      style: { width: "100%", height: "100%" }, minZoom: 0.2, maxZoom: 4, wheelSensitivity: 0.3,
      setProps: props => { if (props.tapNodeData) showNodeDetails(props.tapNodeData); },
    }));
  }

  function clearNetwork() {
    if (cyRoot) { netKey += 1; cyRoot.render(null); }
    window.cy = undefined;
    $("#node-details").replaceChildren(el("p", { class: "muted" }, "No network shown."));
    for (const id of ["#dl-graphml", "#dl-sif", "#dl-cyjs", "#dl-png", "#dl-svg"]) $(id).removeAttribute("href");
  }

  async function loadNetwork() {
    const q = formValues($("#network-form"), ["source", "node_type"]);
    if (!q.source.length) throw new Error("Tick at least one evidence source.");
    if (!q.node_type.length) throw new Error("Tick at least one node type.");
    for (const [id, fmt] of [["#dl-graphml", "graphml"], ["#dl-sif", "sif"], ["#dl-cyjs", "cyjs"]]) $(id).href = "/api/network?" + params(Object.assign({}, q, { format: fmt }));
    for (const fmt of ["png", "svg"]) $("#dl-" + fmt).href = "/api/network/figure?" + params(Object.assign({}, q, { format: fmt }));
    const data = await api("/api/network?" + params(Object.assign({}, q, { format: "cyjs" })));
    netCancer = q.cancer || "";
    const elements = cyElements(data);
    renderNetwork(elements);
    shown.network = ctxKey();
    const nNodes = elements.filter(e => e.group === "nodes").length;
    $("#node-details").replaceChildren(el("p", { class: "muted", id: "network-summary" },
      nNodes + " nodes, " + (elements.length - nNodes) + " edges. Click a node to see its details and evidence."));
  }
  const reloadNetwork = () => busy($("#network-go"), loadNetwork, clearNetwork);
  $("#network-form").addEventListener("submit", ev => { ev.preventDefault(); contextFrom($("#network-form")); reloadNetwork(); });
  AUTOLOAD.network = reloadNetwork;

  async function showNodeDetails(node) {
    const name = node.name || node.id || node.label;
    const box = $("#node-details");
    box.replaceChildren(el("h3", { id: "node-title" }, name), el("p", { class: "muted" }, "type: " + (node.type || "?")));
    try {
      const data = await api("/api/entity?" + params({ name: name, cancer: netCancer }));
      box.appendChild(el("p", { id: "node-count" }, data.count + " evidence record" + (data.count === 1 ? "" : "s") +
        (data.cancer ? " in " + data.cancer + " or pan-cancer" : "")));
      box.appendChild(el("ul", { class: "node-evidence" }, data.records.slice(0, 50).map(r =>
        el("li", {}, el("b", {}, r.subject + " " + r.relation + " " + r.object), r.cancer ? " (" + r.cancer + ")" : "",
          el("div", { class: "provenance small" }, r.evidence || "", " ", el("span", { class: "muted" }, refsText(r.refs)))))));
    } catch (e) {
      box.appendChild(el("p", { class: "muted" }, e.message));
    }
  }

  /* ---------------- simulation ---------------- */
  $("#add-perturbation").addEventListener("click", () => {
    const first = $("#perturbations .perturbation");
    const copy = first.cloneNode(true);
    copy.querySelector("input").value = "";
    $("#perturbations").appendChild(copy);
  });

  function clearSimulation() {
    $("#simulate-table tbody").replaceChildren();
    $("#simulate-plot").hidden = true;
    $("#simulate-plot").removeAttribute("src");
    $("#simulate-png").hidden = true;
    shown.simulate = undefined;
  }

  async function runSimulation() {
    const form = $("#simulate-form");
    const perturbations = $$(".perturbation", form)
      .map(row => [row.querySelector("input").value.trim(), row.querySelector("select").value])
      .filter(([n]) => n).map(([n, v]) => n + "=" + v);
    const body = { perturbations: perturbations };
    const cancer = form.elements.cancer.value.trim();
    if (cancer) body.cancer = cancer;
    const dose = form.elements.dose.value.trim();
    if (dose) body.dose = Number(dose);
    const data = await api("/api/simulate?plot=true", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const readouts = data.result.readouts || {};
    $("#simulate-table tbody").replaceChildren(...Object.entries(readouts)
      .sort((a, b) => Math.abs(b[1].log2fc) - Math.abs(a[1].log2fc))
      .map(([node, r]) => el("tr", { class: "dir-" + r.direction }, el("td", {}, node),
        el("td", { class: "num" }, r.log2fc === null ? "" : Number(r.log2fc).toFixed(3)), el("td", {}, r.direction))));
    const img = $("#simulate-plot");
    if (data.figure_png) {
      img.src = "data:image/png;base64," + data.figure_png;
      img.hidden = false;
      const a = $("#simulate-png");
      a.href = img.src;
      a.hidden = false;
    }
    shown.simulate = ctxKey();
  }
  const reloadSimulation = () => busy($("#simulate-go"), runSimulation, clearSimulation);
  $("#simulate-form").addEventListener("submit", ev => { ev.preventDefault(); contextFrom($("#simulate-form")); reloadSimulation(); });
  AUTOLOAD.simulate = reloadSimulation;

  /* ---------------- variants ---------------- */
  async function loadVariants() {
    const form = $("#variants-form");
    const vcf = $("#variants-vcf").files[0], utrs = $("#variants-utrs").files[0];
    if (!vcf || !utrs) throw new Error("Choose a VCF and a 3'UTR FASTA first.");
    const body = new FormData();
    body.append("vcf", vcf); body.append("utrs", utrs);
    body.append("mirna", form.elements.mirna.value.trim());
    const resp = await fetch("/api/variants", { method: "POST", body: body });
    const data = await resp.json();
    if (!resp.ok) throw new Error(typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail));
    $("#variants-count").textContent = data.count + " site change(s) of " + data.mirna + " from " +
      data.records + " record(s), " + data.alleles_in_utrs + " allele(s) in a 3'UTR";
    $("#variants-genes tbody").replaceChildren(...data.genes.map(g => el("tr", {},
      el("td", {}, g.in_network ? el("a", { href: "#", class: "gene-link", "data-gene": g.gene }, g.gene) : g.gene),
      el("td", {}, String(g.transcripts)), el("td", {}, String(g.n_gained)), el("td", {}, String(g.n_lost)),
      el("td", {}, String(g.n_changed)), el("td", {}, g.mirnas))));
    $$("#variants-genes .gene-link").forEach(a => a.addEventListener("click", ev => {
      ev.preventDefault();
      openTab("network");
      netCancer = "";
      showNodeDetails({ id: a.dataset.gene, label: a.dataset.gene, type: "gene" });
    }));
  }
  $("#variants-form").addEventListener("submit", ev => { ev.preventDefault(); busy($("#variants-go"), loadVariants); });

  /* ---------------- cohort ---------------- */
  const GUESS = {
    marker_col: /mir|marker|expr|124/i, label_col: /label|status|group|type|class|tumou?r/i,
    duration_col: /time|days|month|duration|os_/i, event_col: /event|dead|death|status/i, km_marker_col: /mir|marker|expr|124/i,
  };

  $("#cohort-file").addEventListener("change", async ev => {
    const file = ev.target.files[0];
    if (!file) return;
    const head = await file.slice(0, 65536).text();
    const first = head.split(/\r?\n/)[0].replace(/^\ufeff/, "");
    const sep = first.includes("\t") && !first.includes(",") ? "\t" : ",";
    const cols = first.split(sep).map(c => c.trim().replace(/^"|"$/g, "")).filter(Boolean);
    for (const select of $$(".colselect")) {
      select.replaceChildren(...cols.map(c => el("option", { value: c }, c)));
      const guess = cols.find(c => GUESS[select.name] && GUESS[select.name].test(c));
      if (guess) select.value = guess;
    }
  });

  function clinicalResult(target, data, title) {
    const src = "data:image/png;base64," + data.figure_png;
    const rows = Object.entries(data.result).filter(([, v]) => v === null || typeof v !== "object" || Array.isArray(v));
    target.replaceChildren(
      el("h3", {}, title + " (n = " + data.n_rows + " rows)"),
      el("img", { src: src, alt: title + " plot", class: "plot", id: target.id + "-img" }),
      el("a", { href: src, download: "mirscope-" + data.analysis + ".png", class: "download" }, "Download PNG"),
      el("table", { class: "data compact" }, el("tbody", {}, rows.map(([k, v]) =>
        el("tr", {}, el("th", {}, k), el("td", {}, v === null ? "" : Array.isArray(v) ? v.map(x => typeof x === "number" ? x.toPrecision(4) : String(x)).join(" – ") :
          typeof v === "number" ? String(Number(v.toPrecision(4))) : String(v)))))),
      ...(data.warnings || []).map(w => el("p", { class: "warning small" }, "Warning: " + w)));
  }

  async function runClinical(kind) {
    const form = $("#cohort-form");
    const file = $("#cohort-file").files[0];
    if (!file) throw new Error("Choose a cohort table (CSV or TSV) first.");
    const fd = new FormData();
    fd.append("file", file);
    if (kind === "roc") {
      fd.append("marker_col", form.elements.marker_col.value);
      fd.append("label_col", form.elements.label_col.value);
      if (form.elements.positive.value.trim()) fd.append("positive", form.elements.positive.value.trim());
      if (form.elements.negative.value.trim()) fd.append("negative", form.elements.negative.value.trim());
    } else {
      fd.append("duration_col", form.elements.duration_col.value);
      fd.append("event_col", form.elements.event_col.value);
      fd.append("marker_col", form.elements.km_marker_col.value);
      fd.append("split", form.elements.split.value);
    }
    const data = await api("/api/clinical/" + kind, { method: "POST", body: fd });
    clinicalResult(kind === "roc" ? $("#roc-result") : $("#km-result"), data, kind === "roc" ? "ROC" : "Kaplan-Meier");
  }
  $("#roc-go").addEventListener("click", () => busy($("#roc-go"), () => runClinical("roc"), () => $("#roc-result").replaceChildren()));
  $("#km-go").addEventListener("click", () => busy($("#km-go"), () => runClinical("survival"), () => $("#km-result").replaceChildren()));

  /* ---------------- sites ---------------- */
  async function runScan() {
    const q = formValues($("#sites-form"));
    const data = await api("/api/sites/scan", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ mirna: q.mirna, sequence: q.sequence }),
    });
    const nrec = (data.records || []).length;
    $("#sites-count").textContent = data.count + " site" + (data.count === 1 ? "" : "s") + " of " + data.mirna + " in " + data.length + " nt" +
      (nrec > 1 ? " (" + nrec + " records: " + data.records.join(", ") + ")" : "");
    const cols = data.sites.length ? Object.keys(data.sites[0]) : [];
    $("#sites-table thead").replaceChildren(el("tr", {}, cols.map(c => el("th", {}, c))));
    $("#sites-table tbody").replaceChildren(...data.sites.map(s => el("tr", {}, cols.map(c =>
      el("td", {}, typeof s[c] === "number" && !Number.isInteger(s[c]) ? s[c].toFixed(2) : String(s[c] === null ? "" : s[c]))))));
  }
  function clearSites() {
    $("#sites-count").textContent = "";
    $("#sites-table thead").replaceChildren();
    $("#sites-table tbody").replaceChildren();
  }
  $("#sites-form").addEventListener("submit", ev => { ev.preventDefault(); contextFrom($("#sites-form")); busy($("#sites-go"), runScan, clearSites); });

  /* ---------------- enrichment ---------------- */
  function clearEnrichment() {
    $("#enrich-count").textContent = "";
    $("#enrich-table tbody").replaceChildren();
    shown.enrich = undefined;
  }

  const fmtNum = x => x === null || x === undefined ? "" : (Math.abs(x) < 1e-3 ? Number(x).toExponential(2) : String(Number(Number(x).toPrecision(3))));

  async function runEnrichment() {
    const q = formValues($("#enrich-form"), ["collection"]);
    if (!q.collection.length) throw new Error("Tick at least one gene-set collection.");
    const args = { collection: q.collection, limit: 100 };
    if (q.genes) args.genes = q.genes; else args.mirna = q.mirna;
    const data = await api("/api/enrich?" + params(args));
    $("#enrich-count").textContent = (data.mirna ? data.mirna + " validated targets: " : "Gene list: ") +
      data.n_genes + " genes in the background of " + data.n_background + "; " + data.n_tested +
      " gene sets tested, " + data.table.length + " shown (by p-value)";
    $("#enrich-table tbody").replaceChildren(...data.table.map(r => el("tr", { class: r.q_value < 0.05 ? "significant" : "" },
      el("td", {}, r.gene_set), el("td", { class: "num" }, r.set_size), el("td", { class: "num" }, r.overlap),
      el("td", { class: "num" }, fmtNum(r.fold_enrichment)), el("td", { class: "num" }, fmtNum(r.p_value)),
      el("td", { class: "num" }, fmtNum(r.q_value)), el("td", { class: "small" }, Array.isArray(r.genes) ? r.genes.join(", ") : String(r.genes || "").split(/[;,]\s*/).join(", ")))));
    shown.enrich = q.genes ? "genes" : ctxKey();
  }
  const reloadEnrichment = () => busy($("#enrich-go"), runEnrichment, clearEnrichment);
  $("#enrich-form").addEventListener("submit", ev => { ev.preventDefault(); contextFrom($("#enrich-form")); reloadEnrichment(); });
  AUTOLOAD.enrich = () => { if (shown.enrich !== "genes") reloadEnrichment(); };

  /* ---------------- report ---------------- */
  function clearReport() {
    $("#report-status-box").hidden = true;
    const a = $("#report-download");
    a.hidden = true;
    a.removeAttribute("href");
  }

  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

  async function runReport() {
    clearReport();
    const q = formValues($("#report-form"), ["section"]);
    if (!q.section.length) throw new Error("Tick at least one section.");
    const body = { mirna: q.mirna, sections: q.section };
    if (q.cancer) body.cancer = q.cancer;
    let job = await api("/api/report", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    $("#report-status-box").hidden = false;
    while (job.state === "running") {
      $("#report-status").textContent = "Building the " + job.sections.join(", ") + " report of " + job.mirna + "… " + job.elapsed_s.toFixed(0) + " s";
      await sleep(700);
      job = await api("/api/report/status?" + params({ job: job.job }));
    }
    if (job.state === "failed") throw new Error("The report failed: " + job.error);
    $("#report-status-box").hidden = true;
    const a = $("#report-download");
    a.href = "/api/report/download?" + params({ job: job.job });
    a.setAttribute("download", "mirscope-report-" + job.mirna + ".html");
    a.textContent = "Download the HTML report of " + job.mirna + " (" + Math.round(job.size / 1024) + " kB, built in " + job.elapsed_s.toFixed(1) + " s)";
    a.hidden = false;
  }
  $("#report-form").addEventListener("submit", ev => { ev.preventDefault(); contextFrom($("#report-form")); busy($("#report-go"), runReport, clearReport); });

  /* ---------------- atlas ---------------- */
  const ATLAS_COLS = ["cohort", "n_paired", "log2fc", "wilcoxon_p", "q", "n_survival", "events",
    "cox_hr", "cox_p", "logrank_p", "zero_fraction", "status_paired", "status_survival"];
  function fmt(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "number" && !Number.isInteger(v)) return String(Number(v.toPrecision(3)));
    return String(v);
  }
  async function runAtlas() {
    const q = formValues($("#atlas-form"));
    const data = await api("/api/atlas?" + params({ mirna: q.mirna, source: q.source }));
    const src = "data:image/png;base64," + data.panel_png;
    $("#atlas-result").replaceChildren(
      el("h3", {}, data.mirna + " (" + data.precursors.join(", ") + ")"),
      el("img", { src: src, alt: "pan-cancer panel", class: "plot", id: "atlas-panel-img" }),
      el("a", { href: src, download: "mirscope-atlas.png", class: "download" }, "Download PNG"),
      el("div", { class: "scroll" }, el("table", { class: "data compact", id: "atlas-table" },
        el("thead", {}, el("tr", {}, ATLAS_COLS.map(c => el("th", {}, c)))),
        el("tbody", {}, data.cohorts.map(r => el("tr", {}, ATLAS_COLS.map(c => el("td", {}, fmt(r[c])))))))));
    const sel = $("#atlas-cohort");
    sel.replaceChildren(...data.cohorts.map(r => el("option", { value: r.cohort }, r.cohort)));
  }
  async function runAtlasKM() {
    const q = formValues($("#atlas-form"));
    if (!q.cohort) throw new Error("Show the atlas first, then pick a cohort.");
    const data = await api("/api/atlas/km?" + params({ mirna: q.mirna, cohort: q.cohort, source: q.source }));
    const img = (b64, alt, id) => b64 ? el("img", { src: "data:image/png;base64," + b64, alt: alt, class: "plot", id: id }) : null;
    $("#atlas-km").replaceChildren(el("h3", {}, "Kaplan-Meier, " + data.cohort), img(data.km_png, "Kaplan-Meier", "atlas-km-img"));
    $("#atlas-paired").replaceChildren(el("h3", {}, "Tumour vs paired normal, " + data.cohort), img(data.paired_png, "paired plot", "atlas-paired-img"),
      ...data.notes.map(n => el("p", { class: "warning small" }, n)));
  }
  $("#atlas-form").addEventListener("submit", ev => { ev.preventDefault(); busy($("#atlas-go"), runAtlas); });
  $("#atlas-km-go").addEventListener("click", () => busy($("#atlas-km-go"), runAtlasKM));

  /* initial view: miR-124 evidence */
  shown.network = ""; shown.simulate = ""; shown.enrich = "";  // load on first visit
  reloadEvidence();
})();
