// The flow console page: plain DOM, no framework. Everything shown comes from the console API
// (/console/api/…), itself built from the services' OpenTelemetry spans. Text is always inserted
// with textContent (never innerHTML), so nothing a span carries can become markup.
'use strict';

const API = '/console/api';
// `open`: exchanges the user opened, kept open when live updates redraw the flow.
const state = { selected: null, flows: [], scenarios: [], showBackground: false, countdown: null, open: new Set() };
const $ = (id) => document.getElementById(id);

/** createElement with attributes and children (strings become text nodes). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat())
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

async function getJson(path, init) {
  const response = await fetch(`${API}${path}`, init);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

const ms = (value) => (value < 10 ? value.toFixed(1) : Math.round(value)) + ' ms';
const statusClass = (status) => (status ? `s${String(status)[0]}` : '');

// --- scenarios ----------------------------------------------------------------------------------

async function loadScenarios() {
  const { scenarios } = await getJson('/scenarios');
  state.scenarios = scenarios;
  const box = $('scenario-buttons');
  box.replaceChildren(
    ...scenarios.map((s) =>
      el('button', { type: 'button', 'data-scenario': s.name, title: s.description, onclick: () => runScenario(s.name) }, s.title),
    ),
  );
}

async function runScenario(name) {
  const button = document.querySelector(`[data-scenario="${name}"]`);
  button.disabled = true;
  setStatus(`running ${button.textContent}…`);
  try {
    const { traceId } = await getJson(`/scenarios/${name}`, { method: 'POST' });
    state.selected = traceId;
    await refreshList();
    await showFlow(traceId);
    $('detail').focus();
  } catch (error) {
    setStatus(`could not run the scenario: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

// --- flow list -----------------------------------------------------------------------------------

async function refreshList() {
  const { flows } = await getJson(`/flows?limit=60${state.showBackground ? '' : '&background=false'}`);
  state.flows = flows;
  const list = $('flow-list');
  const focused = document.activeElement?.dataset?.trace;
  list.replaceChildren(
    ...flows.map((flow) =>
      el(
        'li',
        {},
        el(
          'button',
          {
            type: 'button',
            'data-trace': flow.traceId,
            'aria-current': flow.traceId === state.selected ? 'true' : 'false',
            onclick: () => selectFlow(flow.traceId),
            onkeydown: listKeys,
          },
          flow.scenario ? `${flow.scenario} · ${flow.title}` : flow.title,
          el(
            'span',
            { class: 'meta' },
            `${new Date(flow.startedAt).toLocaleTimeString()} · ${ms(flow.durationMs)} · ${flow.exchanges.length} exchanges`,
          ),
        ),
      ),
    ),
  );
  if (focused) list.querySelector(`[data-trace="${focused}"]`)?.focus();
}

/** Arrow keys move through the list; Enter/Space (native button) open a flow. */
function listKeys(event) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  event.preventDefault();
  const buttons = [...$('flow-list').querySelectorAll('button')];
  const index = buttons.indexOf(event.currentTarget) + (event.key === 'ArrowDown' ? 1 : -1);
  buttons[Math.max(0, Math.min(buttons.length - 1, index))]?.focus();
}

async function selectFlow(traceId) {
  state.selected = traceId;
  for (const b of $('flow-list').querySelectorAll('button')) b.setAttribute('aria-current', b.dataset.trace === traceId ? 'true' : 'false');
  await showFlow(traceId);
}

// --- one flow --------------------------------------------------------------------------------------

let rendering = Promise.resolve();
function showFlow(traceId) {
  rendering = rendering.then(() => renderFlow(traceId)).catch((error) => setStatus(error.message));
  return rendering;
}

async function renderFlow(traceId) {
  let data;
  try {
    data = await getJson(`/flows/${traceId}`);
  } catch {
    $('detail').replaceChildren(el('p', { class: 'empty' }, `Waiting for the spans of trace ${traceId}…`));
    return;
  }
  if (state.selected !== traceId) return;
  const { flow, scenario } = data;
  const parts = [];
  parts.push(el('h2', {}, scenario ? scenario.title : flow ? flow.title : traceId));
  parts.push(
    el(
      'p',
      { class: 'meta' },
      `trace ${traceId}`,
      flow ? ` · ${new Date(flow.startedAt).toLocaleTimeString()} · ${ms(flow.durationMs)}` : '',
    ),
  );
  if (scenario) {
    parts.push(el('p', { class: 'outcome' }, scenario.state === 'running' ? 'running…' : (scenario.outcome ?? scenario.state)));
    if (scenario.state !== 'running') setStatus(`${scenario.title}: ${scenario.outcome ?? scenario.state}`);
  }
  let diagram;
  if (flow) {
    parts.push(el('h3', {}, 'Sequence'));
    diagram = el('div', { class: 'diagram', role: 'img', 'aria-label': describe(flow) });
    parts.push(diagram);
  }
  if (scenario) parts.push(...renderScenario(scenario));
  if (flow) {
    parts.push(el('h3', {}, `Exchanges (${flow.exchanges.length})`));
    parts.push(...flow.exchanges.map(renderExchange));
    parts.push(el('h3', {}, 'Timing'));
    parts.push(renderWaterfall(flow));
    $('detail').replaceChildren(...parts);
    await drawSequence(diagram, flow);
  } else {
    parts.push(el('p', { class: 'empty' }, 'Waiting for the services’ spans…'));
    $('detail').replaceChildren(...parts);
  }
  startCountdown();
}

function renderScenario(scenario) {
  const parts = [];
  if (scenario.tokens?.length) {
    parts.push(el('h3', {}, 'Tokens'));
    for (const token of scenario.tokens) parts.push(renderToken(token));
  }
  if (scenario.steps?.length) {
    parts.push(el('h3', {}, 'What the client saw'));
    parts.push(
      el(
        'ol',
        { class: 'steps' },
        scenario.steps.map((step) =>
          el(
            'li',
            {},
            `${step.label}: ${step.method} ${new URL(step.url).pathname} → `,
            el('span', { class: statusClass(step.status) }, String(step.status)),
            ` (${ms(step.durationMs)})`,
          ),
        ),
      ),
    );
  }
  const info = state.scenarios.find((s) => s.name === scenario.scenario);
  if (info) {
    const pre = el('pre', {}, el('code', {}, info.curl));
    parts.push(
      el(
        'details',
        { class: 'curl' },
        el('summary', {}, 'The same with curl'),
        pre,
        el('button', { type: 'button', onclick: () => copy(info.curl) }, 'Copy'),
      ),
    );
  }
  return parts;
}

function renderToken(token) {
  const badge =
    token.format === 'opaque'
      ? el('span', { class: 'badge opaque' }, 'opaque')
      : el(
          'span',
          { class: `badge ${token.verified ? 'verified' : 'unverified'}`, 'data-verified': String(token.verified) },
          token.verified ? '✔ JWT verified' : '✘ JWT not verified',
        );
  const card = el('div', { class: 'token' }, badge, ' ', el('span', {}, token.verification));
  if (token.expiresAt) card.append(el('p', {}, 'expires in ', el('strong', { 'data-exp': token.expiresAt }, countdown(token.expiresAt))));
  if (token.header) card.append(el('p', {}, 'header'), el('pre', {}, JSON.stringify(token.header, null, 2)));
  if (token.claims) card.append(el('p', {}, 'claims'), el('pre', {}, JSON.stringify(token.claims, null, 2)));
  if (token.explanations?.length)
    card.append(
      el(
        'ul',
        {},
        token.explanations.map((note) => el('li', {}, note)),
      ),
    );
  return card;
}

function renderExchange(exchange) {
  const rows = [
    ['from → to', `${exchange.from} → ${exchange.to}`],
    [exchange.to === 'postgres' ? 'statement' : 'method and path', `${exchange.method} ${exchange.path}`],
    ['status', exchange.status ?? '—'],
    ['duration', ms(exchange.durationMs)],
    ['started', `+${ms(exchange.offsetMs)}`],
    ...Object.entries(exchange.oauth).map(([key, value]) => [key, String(value)]),
  ];
  return el(
    'details',
    {
      class: 'exchange',
      style: `margin-left:${Math.min(exchange.depth, 6) * 1.2}rem`,
      open: state.open.has(exchange.id),
      ontoggle: (event) => (event.currentTarget.open ? state.open.add(exchange.id) : state.open.delete(exchange.id)),
    },
    el(
      'summary',
      {},
      `${exchange.from} → ${exchange.to}  ${exchange.method} ${exchange.path}  `,
      el('span', { class: statusClass(exchange.status) }, exchange.status ?? ''),
      `  ${ms(exchange.durationMs)}`,
    ),
    el(
      'table',
      {},
      el(
        'tbody',
        {},
        rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v))),
      ),
    ),
  );
}

function renderWaterfall(flow) {
  const total = Math.max(flow.durationMs, 0.001);
  const legend = el(
    'p',
    { class: 'legend' },
    el('span', {}, el('i', { style: 'background:#2f8f83' }), 'client'),
    el('span', {}, el('i', { style: 'background:#1f5fbf' }), 'service'),
    el('span', {}, el('i', { style: 'background:#8a4fbf' }), 'database'),
  );
  const rows = flow.waterfall.map((span) => {
    const left = (span.offsetMs / total) * 100;
    const width = Math.max((span.durationMs / total) * 100, 0.3);
    const kind = span.error ? 'error' : span.database ? 'db' : span.service === 'client' ? 'client' : '';
    return el(
      'tr',
      {},
      el(
        'td',
        { class: 'label', title: `${span.service}: ${span.name}`, style: `padding-left:${Math.min(span.depth, 12) * 0.6}rem` },
        `${span.service}: ${span.name}`,
      ),
      el('td', { class: 'track' }, el('span', { class: `bar ${kind}`, style: `left:${left}%;width:${Math.min(width, 100 - left)}%` })),
      el('td', { class: 'ms' }, ms(span.durationMs)),
    );
  });
  return el('div', {}, legend, el('table', { class: 'waterfall', 'aria-label': 'Spans on a time line' }, el('tbody', {}, rows)));
}

/** A text description of the diagram for screen readers. */
function describe(flow) {
  return flow.exchanges
    .filter((e) => e.to !== 'postgres')
    .map((e) => `${e.from} to ${e.to}: ${e.method} ${e.path}, ${e.status ?? 'no status'}`)
    .join('; ');
}

// --- mermaid sequence diagram -------------------------------------------------------------------

let diagramCount = 0;
async function drawSequence(container, flow) {
  if (!window.mermaid) {
    container.append(el('p', { class: 'empty' }, 'mermaid did not load'));
    return;
  }
  const text = sequenceText(flow);
  try {
    const { svg } = await window.mermaid.render(`seq${++diagramCount}`, text);
    // mermaid's own output, rendered with securityLevel 'strict' from escaped labels.
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    container.replaceChildren(document.importNode(doc.documentElement, true));
  } catch {
    container.replaceChildren(el('pre', {}, text));
  }
}

/** mermaid `sequenceDiagram` from the exchanges: request arrows in order, each answered after what it caused. */
function sequenceText(flow) {
  const ids = new Map(flow.participants.map((p, i) => [p, `P${i}`]));
  const label = (text) =>
    String(text)
      .replace(/[;#<>{}"\n\r]/g, ' ')
      .slice(0, 80);
  const lines = ['sequenceDiagram'];
  for (const [name, id] of ids) lines.push(`  participant ${id} as ${label(name)}`);
  const children = new Map();
  const roots = [];
  for (const e of flow.exchanges) {
    if (e.parentId && flow.exchanges.some((p) => p.id === e.parentId)) children.set(e.parentId, [...(children.get(e.parentId) ?? []), e]);
    else roots.push(e);
  }
  const emit = (list) => {
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (e.to === 'postgres') {
        // Consecutive queries of one caller become one arrow: the list above has each of them.
        let j = i;
        while (j + 1 < list.length && list[j + 1].to === 'postgres' && list[j + 1].from === e.from) j++;
        const batch = list.slice(i, j + 1);
        const total = batch.reduce((sum, q) => sum + q.durationMs, 0);
        const ops = [...new Set(batch.map((q) => q.method))].join(', ');
        lines.push(
          `  ${ids.get(e.from)}->>${ids.get('postgres')}: ${batch.length === 1 ? label(e.method) : `${batch.length} queries (${label(ops)})`}`,
        );
        lines.push(`  ${ids.get('postgres')}-->>${ids.get(e.from)}: ${ms(total)}`);
        i = j;
        continue;
      }
      lines.push(`  ${ids.get(e.from)}->>+${ids.get(e.to)}: ${label(`${e.method} ${e.path}`)}`);
      emit(children.get(e.id) ?? []);
      lines.push(`  ${ids.get(e.to)}-->>-${ids.get(e.from)}: ${label(`${e.status ?? ''} (${ms(e.durationMs)})`)}`);
    }
  };
  emit(roots);
  return lines.join('\n');
}

// --- bits ------------------------------------------------------------------------------------------

function countdown(exp) {
  const left = exp - Math.floor(Date.now() / 1000);
  if (left <= 0) return 'expired';
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  return `${h ? `${h} h ` : ''}${m} min ${String(s).padStart(2, '0')} s`;
}

function startCountdown() {
  clearInterval(state.countdown);
  state.countdown = setInterval(() => {
    for (const node of document.querySelectorAll('[data-exp]')) node.textContent = countdown(Number(node.dataset.exp));
  }, 1000);
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    setStatus('copied');
  } catch {
    setStatus('copy failed: select the text and copy it');
  }
}

function setStatus(text) {
  $('status').textContent = text;
}

// --- live updates ---------------------------------------------------------------------------------

let listTimer;
function connect() {
  const events = new EventSource(`${API}/events`);
  events.addEventListener('open', () => setStatus('live: new flows appear as they happen'));
  events.addEventListener('error', () => setStatus('reconnecting…'));
  events.addEventListener('flows', (event) => {
    const { traceIds } = JSON.parse(event.data);
    clearTimeout(listTimer);
    listTimer = setTimeout(() => refreshList().catch(() => undefined), 200);
    if (state.selected && traceIds.includes(state.selected)) showFlow(state.selected);
  });
}

window.addEventListener('DOMContentLoaded', async () => {
  window.mermaid?.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', sequence: { mirrorActors: false } });
  $('show-background').addEventListener('change', (event) => {
    state.showBackground = event.target.checked;
    refreshList();
  });
  await loadScenarios().catch((error) => setStatus(error.message));
  await refreshList().catch(() => undefined);
  connect();
});
