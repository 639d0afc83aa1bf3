// Jobwright dashboard: plain DOM, built only on the public JSON API and its server-sent events.
// Everything user-supplied goes in through textContent, never as HTML.
'use strict';

// STATUSES, TERMINAL and STATUS come from /ui/statuses.js, which the node writes from its status file.
const SVG = 'http://www.w3.org/2000/svg';
const main = document.getElementById('main');
let stopPage = () => {};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const svg = (tag, attrs) => { const n = document.createElementNS(SVG, tag); for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v)); return n; };
const status = (s) => el('span', { class: `status status-${s}` }, s);
const link = (href, text) => el('a', { href, 'data-link': true }, text);
const time = (t) => (t ? new Date(t).toLocaleString() : '–');
const duration = (a, b) => (a && b ? `${((new Date(b) - new Date(a)) / 1000).toFixed(1)}s` : '');

async function api(path, options) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, ...options });
  if (response.status === 401) {
    // The session ended (or there is none): the login page brings the user back here.
    location.assign(`/login?returnUrl=${encodeURIComponent(location.pathname + location.search)}`);
  }
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new Error((body && (body.detail || body.title)) || `HTTP ${response.status}`);
  return body;
}

function live(path, onChange) {
  const source = new EventSource(path);
  let timer = null;
  const fire = (event) => { clearTimeout(timer); timer = setTimeout(() => onChange(event), 150); };
  source.addEventListener('job', fire);
  source.addEventListener('deleted', fire);
  return () => { clearTimeout(timer); source.close(); };
}

function show(...nodes) {
  main.replaceChildren(...nodes);
}

function problem(error) {
  return el('p', { role: 'alert', class: `status-${STATUS.failedBeforeCompletion}` }, String(error.message || error));
}

// ---- Overview ------------------------------------------------------------------------------

async function overview() {
  const counts = el('div', { class: 'cards', id: 'counts' });
  const charts = el('div', { id: 'charts' });
  const waiting = el('div', { id: 'waiting' });
  const nodes = el('div', { id: 'nodes' });
  const byReason = el('div', { id: 'waiting-by-reason' });
  show(el('h1', {}, 'Overview'), counts, el('h2', {}, 'The last hour'), charts,
    el('h2', {}, 'Waiting longest'), waiting, el('h2', {}, 'Live nodes'), nodes, el('h2', {}, 'Waiting, by reason'), byReason);

  async function refresh() {
    try {
      const [stats, recent, queued, cluster] = await Promise.all([
        api('/api/v1/stats'),
        api(`/api/v1/jobs?limit=1000&from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`),
        api(`/api/v1/jobs?status=${STATUS.notStarted}&limit=1000`),
        api('/api/v1/nodes'),
      ]);
      counts.replaceChildren(...STATUSES.map((s) => el('a', { class: 'card', href: `/jobs?status=${s}`, 'data-link': true, 'data-status': s },
        el('div', { class: 'n' }, String(stats.counts[s] ?? 0)), status(s))));
      charts.replaceChildren(chart(recent.jobs));
      const oldest = queued.jobs.slice(-5).reverse();
      waiting.replaceChildren(oldest.length === 0 ? el('p', {}, 'No job is waiting.') : el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Job'), el('th', {}, 'Operation'), el('th', {}, 'Submitted'), el('th', {}, 'Why it has not started'))),
        el('tbody', {}, oldest.map((j) => el('tr', {}, el('td', {}, link(`/jobs/${j.jobId}`, `#${j.jobId}`)),
          el('td', {}, `${j.group}/${j.operation}`), el('td', {}, time(j.timeSubmitted)),
          el('td', { class: 'reason' }, j.notStartedReason ? `${j.notStartedReason.code}: ${j.notStartedReason.message}` : ''))))));
      byReason.replaceChildren(...waitingByReason(stats.waiting));
      nodes.replaceChildren(el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Node'), el('th', {}, 'Store'), el('th', {}, 'Slots'), el('th', {}, 'Running'), el('th', {}, 'Since'))),
        el('tbody', {}, cluster.nodes.map((n) => el('tr', {}, el('td', {}, n.name), el('td', {}, n.store), el('td', {}, String(n.workerSlots)),
          el('td', {}, String(n.jobsRunning)), el('td', {}, time(n.startedAt)))))));
    } catch (error) {
      counts.replaceChildren(problem(error));
    }
  }

  await refresh();
  return live('/api/v1/events', refresh);
}

// The waiting census of /api/v1/stats — the numbers /metrics exports as jobwright_jobs_waiting — now, and
// as it went since the page opened (one sample per refresh, the last 60).
const REASONS = ['QUEUED', 'TARGET_BUSY', 'OPERATION_LIMIT', 'SCHEDULED', 'STARTING', 'NO_NODE', 'TARGET_PAUSED', 'OPERATION_PAUSED'];
const waitingSamples = [];
function waitingByReason(census) {
  if (!census) return [el('p', {}, 'The waiting census covers every job; your scope covers only some.')];
  const counts = Object.fromEntries(census.map((w) => [w.reason, w.jobs]));
  waitingSamples.push(counts);
  if (waitingSamples.length > 60) waitingSamples.shift();
  const table = census.length === 0 ? el('p', {}, 'No job is waiting.') : el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, 'Reason'), el('th', {}, 'Jobs'), el('th', {}, 'Oldest waits since'))),
    el('tbody', {}, census.map((w) => el('tr', { 'data-reason': w.reason }, el('td', {}, el('span', { class: `reason-${w.reason}` }, w.reason)),
      el('td', { class: 'n' }, String(w.jobs)), el('td', {}, time(w.oldestSubmitted))))));
  const width = 600, height = 60, top = Math.max(1, ...waitingSamples.map((s) => Object.values(s).reduce((a, b) => a + b, 0)));
  const picture = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Waiting jobs by reason, one bar per refresh since the page opened', class: 'waiting-history' });
  const w = width / 60;
  waitingSamples.forEach((sample, i) => {
    let y = height;
    for (const reason of REASONS) {
      const h = ((sample[reason] || 0) / top) * height; if (!h) continue;
      y -= h;
      picture.append(svg('rect', { x: i * w, y, width: w - 1, height: h, class: `fill-${reason}` }));
    }
  });
  return [table, picture];
}

// Submitted and finished jobs per 5 minutes over the last hour, finished ones stacked by outcome.
// Jobs submitted (left bar) and finished by outcome (right bar) per 5 minutes over the last hour. The
// picture is drawn about as wide as it is shown, so that its text is the legend's size.
function chart(jobs) {
  const slots = 12, width = 1100, height = 120, left = 40, bottom = 18, now = Date.now();
  const bucket = (t) => Math.floor((now - new Date(t)) / 300_000);
  const submitted = new Array(slots).fill(0);
  const finished = Array.from({ length: slots }, () => ({}));
  for (const j of jobs) {
    const s = bucket(j.timeSubmitted); if (s >= 0 && s < slots) submitted[slots - 1 - s]++;
    if (j.timeCompleted) { const c = bucket(j.timeCompleted); if (c >= 0 && c < slots) finished[slots - 1 - c][j.status] = (finished[slots - 1 - c][j.status] || 0) + 1; }
  }
  const top = Math.max(1, ...submitted, ...finished.map((f) => Object.values(f).reduce((a, b) => a + b, 0)));
  const picture = svg('svg', { viewBox: `0 0 ${width} ${height + bottom}`, role: 'img', 'aria-label': 'Jobs submitted and finished per 5 minutes' });
  const text = (x, y, value, attrs = {}) => { const t = svg('text', { x, y, class: 'axis', ...attrs }); t.textContent = value; picture.append(t); };
  // The y-axis: 0, half and the top, with faint lines across.
  for (const value of [...new Set([0, Math.round(top / 2), top])]) {
    const y = height - (value / top) * height;
    picture.append(svg('line', { x1: left, x2: width, y1: y, y2: y, class: 'grid' }));
    text(left - 6, Math.max(10, y + 4), String(value), { 'text-anchor': 'end', class: 'axis y-tick' });
  }
  const w = (width - left) / slots;
  for (let i = 0; i < slots; i++) {
    const x = left + i * w;
    const h = (submitted[i] / top) * height;
    picture.append(svg('rect', { x: x + 2, y: height - h, width: w / 2 - 3, height: h, class: 'bar-submitted' }));
    let y = height;
    for (const s of STATUSES) {
      const n = finished[i][s] || 0; if (!n) continue;
      const sh = (n / top) * height; y -= sh;
      picture.append(svg('rect', { x: x + w / 2, y, width: w / 2 - 3, height: sh, class: `bar-${s}` }));
    }
  }
  text(left, height + bottom - 3, '60 min ago');
  text(width, height + bottom - 3, 'now', { 'text-anchor': 'end' });
  const swatch = (cls) => { const box = svg('svg', { class: 'swatch', viewBox: '0 0 10 10', 'aria-hidden': 'true' }); box.append(svg('rect', { width: 10, height: 10, class: cls })); return box; };
  const legend = el('div', { class: 'legend' },
    el('span', {}, swatch('bar-submitted'), 'submitted (left bar)'),
    el('span', {}, 'finished, by outcome (right bar):'),
    [...TERMINAL].map((s) => el('span', {}, swatch(`bar-${s}`), status(s))));
  return el('div', { class: 'chart' }, picture, legend);
}

// ---- Job list --------------------------------------------------------------------------------

async function jobList() {
  const params = new URLSearchParams(location.search);
  const field = (name, label, input) => el('label', {}, label, input);
  const statusSelect = el('select', { name: 'status' }, el('option', { value: '' }, 'any'), STATUSES.map((s) => el('option', { value: s, selected: params.get('status') === s }, s)));
  const text = (name) => el('input', { name, value: params.get(name) || '' });
  const when = (name) => el('input', { name, type: 'datetime-local', value: params.get(name) ? params.get(name).slice(0, 16) : '' });
  const form = el('form', { class: 'filters', id: 'filters' },
    field('status', 'Status', statusSelect), field('operation', 'Operation', text('operation')), field('group', 'Group', text('group')),
    field('target', 'Target', text('target')), field('from', 'Submitted from', when('from')), field('to', 'to', when('to')),
    el('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) query.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v);
    navigate(`/jobs?${query}`);
  });
  const body = el('tbody', { id: 'job-rows' });
  const pager = el('div', { class: 'actions' });
  // Every job the filters match, not only this page: counted first (a dry run), then done on confirmation.
  const bulkResult = el('span', { id: 'bulk-result', role: 'status' });
  const bulk = el('div', { class: 'actions', id: 'bulk' },
    ['cancel', 'rerun', 'acknowledge', 'delete'].map((action) => el('button', { 'data-bulk': action, class: action === 'delete' ? 'danger' : '', onclick: () => bulkAction(action) },
      `${action[0].toUpperCase()}${action.slice(1)} all matching`)), bulkResult);
  async function bulkAction(action) {
    const filter = {};
    for (const name of ['status', 'operation', 'group', 'target', 'from', 'to']) if (params.get(name)) filter[name] = params.get(name);
    const post = (dryRun, note) => api('/api/v1/jobs/bulk', { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ action, filter, dryRun, ...(note ? { note } : {}) }) });
    try {
      const counted = await post(true);
      const note = action === 'acknowledge' ? prompt(`Acknowledge the ${counted.matched} matching jobs: what was done?`) : null;
      if (action === 'acknowledge' ? note === null : !confirm(`${action} ${counted.matched} matching jobs?`)) return;
      const done = await post(false, note);
      const skipped = Object.entries(done.skippedReasons).map(([why, n]) => `${n} ${why}`).join(', ');
      bulkResult.textContent = `${done.matched} matched: ${done.done} done, ${done.skipped} skipped${skipped ? ` (${skipped})` : ''}`;
      await refresh();
    } catch (error) {
      bulkResult.replaceChildren(problem(error));
    }
  }
  show(el('h1', {}, 'Jobs'), form, bulk, el('table', { id: 'job-list' }, el('thead', {}, el('tr', {}, el('th', {}, 'Job'), el('th', {}, 'Status'),
    el('th', {}, 'Operation'), el('th', {}, 'Target'), el('th', { class: 'hide-narrow' }, 'Submitted'), el('th', { class: 'hide-narrow' }, 'Why not started'))), body), pager);

  async function refresh() {
    const query = new URLSearchParams(location.search);
    if (!query.get('limit')) query.set('limit', '25');
    try {
      const page = await api(`/api/v1/jobs?${query}`);
      body.replaceChildren(...page.jobs.map((j) => el('tr', { 'data-job': j.jobId },
        el('td', {}, link(`/jobs/${j.jobId}`, `#${j.jobId}`)), el('td', {}, status(j.status)),
        el('td', {}, `${j.group}/${j.operation}`), el('td', {}, j.target ?? '–'), el('td', { class: 'hide-narrow' }, time(j.timeSubmitted)),
        el('td', { class: 'reason hide-narrow' }, j.notStartedReason ? j.notStartedReason.message : ''))));
      const older = new URLSearchParams(location.search); older.set('cursor', page.nextCursor || '');
      const newest = new URLSearchParams(location.search); newest.delete('cursor');
      pager.replaceChildren(
        query.get('cursor') ? link(`/jobs?${newest}`, '« Newest') : '',
        page.nextCursor ? link(`/jobs?${older}`, 'Older »') : '');
    } catch (error) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 6 }, problem(error))));
    }
  }

  await refresh();
  return live('/api/v1/events', refresh);
}

// ---- Job detail ------------------------------------------------------------------------------

async function jobDetail(id) {
  const container = el('div', { id: 'job' });
  show(el('h1', {}, `Job #${id}`), container);
  let latest = null;

  function render(job) {
    latest = job;
    const canCancel = !TERMINAL.has(job.status);
    const canResolve = !canCancel && !job.resolution;
    const paused = job.notStartedReason && ['TARGET_PAUSED', 'OPERATION_PAUSED'].includes(job.notStartedReason.code);
    const tasks = job.progress.completedTasks;
    const current = job.progress.currentTask;
    container.replaceChildren(...[
      el('p', {}, status(job.status), job.cancelRequested && canCancel ? ' (cancel requested)' : '',
        paused ? el('span', { class: 'badge badge-paused', id: 'paused' }, job.notStartedReason.code === 'TARGET_PAUSED' ? 'target paused' : 'operation paused') : ''),
      job.notStartedReason ? el('p', { class: 'reason', id: 'reason' }, `${job.notStartedReason.code}: ${job.notStartedReason.message}`,
        job.notStartedReason.blockingJobId ? [' — ', link(`/jobs/${job.notStartedReason.blockingJobId}`, `job #${job.notStartedReason.blockingJobId}`)] : []) : '',
      el('div', { class: 'actions' },
        canCancel ? el('button', { id: 'cancel', class: 'danger', onclick: () => act('cancel') }, 'Cancel job') : '',
        canResolve && job.status === STATUS.completedWithWarnings ? el('button', { id: 'complete', onclick: () => act('complete') }, 'Complete') : '',
        canResolve && job.progress.completedTasks.some((t) => t.status === 'OK') && job.status !== STATUS.completedOk ? el('button', { id: 'revert', onclick: () => act('revert') }, 'Revert') : '',
        canResolve ? el('button', { id: 'rerun', onclick: () => act('rerun') }, 'Rerun') : '',
        canResolve ? el('button', { id: 'acknowledge', onclick: () => act('acknowledge') }, 'Acknowledge') : '',
        !canCancel ? el('button', { id: 'delete', class: 'danger', onclick: () => act('delete') }, 'Delete job') : ''),
      job.resolution ? el('p', { id: 'resolution', class: 'resolution' }, job.resolution.jobId
        ? [`Resolved: ${{ rerun: 'rerun as', completed: 'completed by', reverted: 'reverted by' }[job.resolution.how]} `, link(`/jobs/${job.resolution.jobId}`, `job #${job.resolution.jobId}`)]
        : 'Resolved: acknowledged by hand', job.resolution.by ? ` by ${job.resolution.by}` : '', ` at ${time(job.resolution.at)}`,
        job.resolution.note ? ` — ${job.resolution.note}` : '') : '',
      el('dl', { class: 'fields' },
        el('dt', {}, 'Operation'), el('dd', {}, `${job.group}/${job.operation}`),
        el('dt', {}, 'Target'), el('dd', { id: 'target' }, job.target ?? '–'),
        el('dt', {}, 'Submitted'), el('dd', {}, `${time(job.timeSubmitted)} by ${job.submitter ?? '–'}`),
        el('dt', {}, 'Started'), el('dd', {}, time(job.timeStarted)),
        el('dt', {}, 'Completed'), el('dd', {}, time(job.timeCompleted)),
        el('dt', {}, 'Node'), el('dd', {}, job.node ?? '–'),
        job.retryAfterSeconds != null ? [el('dt', {}, 'Retry after'), el('dd', {}, `${job.retryAfterSeconds}s`)] : [],
        job.retryOf ? [el('dt', {}, 'Retry of'), el('dd', {}, link(`/jobs/${job.retryOf}`, `job #${job.retryOf}`))] : [],
        job.retriedBy ? [el('dt', {}, 'Retried by'), el('dd', {}, link(`/jobs/${job.retriedBy}`, `job #${job.retriedBy}`))] : [],
        job.rerunOf ? [el('dt', {}, 'Rerun of'), el('dd', {}, link(`/jobs/${job.rerunOf}`, `job #${job.rerunOf}`))] : [],
        job.resumes ? [el('dt', {}, 'Completes'), el('dd', {}, link(`/jobs/${job.resumes}`, `job #${job.resumes}`))] : [],
        job.reverts ? [el('dt', {}, 'Reverts'), el('dd', {}, link(`/jobs/${job.reverts}`, `job #${job.reverts}`))] : [],
        job.priority ? [el('dt', {}, 'Priority'), el('dd', {}, String(job.priority))] : []),
      el('h2', {}, 'Tasks'),
      tasks.length === 0 && !current
        // Nothing ran yet: say so, and why, instead of an empty table.
        ? el('p', { id: 'no-tasks' }, job.status === STATUS.notStarted
          ? `No tasks yet${job.notStartedReason ? ` — ${job.notStartedReason.message}` : ''}.`
          : 'No tasks.')
        : el('table', { id: 'tasks' }, el('thead', {}, el('tr', {}, el('th', {}, 'Task'), el('th', {}, 'Status'), el('th', {}, 'Took'), el('th', {}, 'Progress or message'))),
          el('tbody', {}, tasks.map((t) => el('tr', { 'data-task-status': t.status }, el('td', {}, t.name), el('td', {}, el('span', { class: `status status-task-${t.status}` }, t.status)),
            el('td', {}, duration(t.timeStarted, t.timeCompleted)), el('td', {}, t.message ?? ''))),
            // The task running now: its status in RUNNING's colour, its time so far, its percent beside its bar.
            current ? el('tr', { id: 'current-task' }, el('td', {}, current.name), el('td', {}, status(STATUS.running)),
              el('td', {}, duration(current.timeStarted, new Date().toISOString())),
              el('td', {}, current.percent != null ? el('div', { class: 'progress-cell' }, el('span', { class: 'percent' }, `${current.percent}%`), progressBar(current.percent)) : '')) : '')),
      el('h2', {}, 'Parameters'),
      keyValues(job.parameters, 'parameters'),
      el('h2', {}, 'Results'),
      keyValues(job.results, 'results'),
      job.messages.length ? [el('h2', {}, 'Messages'), el('ul', { id: 'messages' }, job.messages.map((m) => el('li', {}, `${m.severity} ${m.code}: ${m.text}`)))] : [],
      job.error ? [el('h2', {}, 'Error'), el('pre', { id: 'error' }, job.error.message)] : [],
      el('h2', {}, 'History'),
      el('table', {}, el('tbody', {}, (job.history || []).map((h) => el('tr', {}, el('td', {}, time(h.time)),
        el('td', {}, h.from ? status(h.from) : ''), el('td', {}, '→'), el('td', {}, status(h.to)), el('td', {}, h.actor ?? ''), el('td', {}, h.reason ?? '')))))].flat());
  }

  function progressBar(percent) {
    const inner = el('div', {}); inner.style.width = `${percent}%`;
    return el('div', { class: 'progress', role: 'progressbar', 'aria-valuenow': percent, 'aria-valuemin': 0, 'aria-valuemax': 100 }, inner);
  }

  function keyValues(object, id) {
    const entries = Object.entries(object || {});
    return entries.length === 0 ? el('p', {}, '–') : el('table', { id }, el('tbody', {},
      entries.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, typeof v === 'string' ? v : JSON.stringify(v))))));
  }

  async function act(action) {
    const json = (body) => ({ method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    try {
      if (action === 'acknowledge') {
        const note = prompt(`Resolve job #${id} by hand: what was done?`);
        if (note === null) return;
        render({ ...await api(`/api/v1/jobs/${id}/acknowledge`, json({ note })), history: latest?.history });
        return;
      }
      const question = {
        cancel: `Cancel job #${id}?`, rerun: `Submit a copy of job #${id}?`, delete: `Delete job #${id} and its history?`,
        complete: `Run the tasks of job #${id} that did not end OK?`, revert: `Undo the tasks of job #${id} that ended OK?`,
      }[action];
      if (!confirm(question)) return;
      if (action === 'cancel') render(await api(`/api/v1/jobs/${id}/cancel`, { method: 'POST' }));
      else if (['rerun', 'complete', 'revert'].includes(action)) navigate(`/jobs/${(await api(`/api/v1/jobs/${id}/${action}`, json({}))).jobId}`);
      else { await api(`/api/v1/jobs/${id}`, { method: 'DELETE' }); navigate('/jobs'); }
    } catch (error) {
      container.prepend(problem(error));
    }
  }

  try {
    render(await api(`/api/v1/jobs/${id}`));
  } catch (error) {
    container.replaceChildren(problem(error));
    return () => {};
  }

  const source = new EventSource(`/api/v1/jobs/${id}/events`);
  source.addEventListener('job', (event) => { const job = JSON.parse(event.data); if (!latest || job.version >= latest.version) render({ ...job, history: job.history || latest?.history }); });
  source.addEventListener('deleted', () => container.replaceChildren(el('p', {}, 'This job was deleted.')));
  // The stream ends with the job; fetch once more for the history of its last transition.
  source.addEventListener('error', async () => { source.close(); if (latest && TERMINAL.has(latest.status)) render(await api(`/api/v1/jobs/${id}`)); });
  return () => source.close();
}

// ---- Needs attention -------------------------------------------------------------------------

// Partial jobs nobody has resolved yet, with the tasks that did not end OK: the seed says each needs manual
// intervention, to complete or revert it. Rerun or acknowledge (on the job's page) takes it off this list.
async function attention() {
  const list = el('div', { id: 'attention' });
  show(el('h1', {}, 'Needs attention'), list);
  async function refresh() {
    try {
      const page = await api(`/api/v1/jobs?status=${STATUS.completedWithWarnings},${STATUS.completedWithError}&resolved=false&limit=1000`);
      const open = page.jobs;
      list.replaceChildren(open.length === 0 ? el('p', {}, 'No partial job waits for a decision.') : el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Job'), el('th', {}, 'Status'), el('th', {}, 'Operation'), el('th', {}, 'Target'), el('th', {}, 'Ended'), el('th', {}, 'Tasks not OK'))),
        el('tbody', {}, open.map((j) => el('tr', { 'data-job': j.jobId }, el('td', {}, link(`/jobs/${j.jobId}`, `#${j.jobId}`)), el('td', {}, status(j.status)),
          el('td', {}, `${j.group}/${j.operation}`), el('td', {}, j.target ?? '–'), el('td', {}, time(j.timeCompleted)),
          el('td', { class: 'reason' }, j.progress.completedTasks.filter((t) => t.status !== 'OK' && t.status !== 'WARNING').map((t) => `${t.name} (${t.status}${t.message ? `: ${t.message}` : ''})`).join('; ') || '–'))))));
    } catch (error) {
      list.replaceChildren(problem(error));
    }
  }

  await refresh();
  return live('/api/v1/events', refresh);
}

// ---- Schedules -------------------------------------------------------------------------------

// The schedules with their next runs and the outcomes of their last runs; a schedule's own page lists its jobs.
async function schedules(id) {
  const list = el('div', { id: 'schedules' });
  show(el('h1', {}, id ? `Schedule #${id}` : 'Schedules'), list);
  async function refresh() {
    try {
      const all = id ? [await api(`/api/v1/schedules/${id}`)] : (await api('/api/v1/schedules')).schedules;
      const rows = await Promise.all(all.map(async (s) => {
        const jobs = (await api(`/api/v1/jobs?scheduleId=${s.scheduleId}&limit=${id ? 50 : 5}`)).jobs;
        return el('tr', { 'data-schedule': s.scheduleId },
          el('td', {}, link(`/schedules/${s.scheduleId}`, s.name)), el('td', {}, `${s.group}/${s.operation}${s.target ? ` on ${s.target}` : ''}`),
          el('td', {}, s.cron ? `${s.cron} (${s.timeZone})` : `every ${s.intervalSeconds}s`),
          el('td', {}, s.paused ? el('span', { class: 'badge badge-paused' }, 'paused') : (s.nextRuns || []).slice(0, 3).map(time).join(', ') || '–'),
          el('td', { class: 'last-runs' }, jobs.flatMap((j) => [link(`/jobs/${j.jobId}`, `#${j.jobId}`), ' ', status(j.status), ' '])));
      }));
      list.replaceChildren(rows.length === 0 ? el('p', {}, 'No schedules. jobwright schedule add, or POST /api/v1/schedules, makes one.') : el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Schedule'), el('th', {}, 'Operation'), el('th', {}, 'When'), el('th', {}, 'Next runs'), el('th', {}, id ? 'Its jobs' : 'Last runs'))),
        el('tbody', {}, rows)));
    } catch (error) {
      list.replaceChildren(problem(error));
    }
  }

  await refresh();
  return live('/api/v1/events', refresh);
}

// ---- Audit trail ----------------------------------------------------------------------------

// The node's audit trail (admins of a node with authentication), newest first, a page at a time.
async function auditTrail() {
  const params = new URLSearchParams(location.search);
  const table = el('div', { id: 'audit' });
  show(el('h1', {}, 'Audit trail'), table);
  try {
    const query = new URLSearchParams({ limit: '100' });
    for (const name of ['actor', 'action', 'cursor']) if (params.get(name)) query.set(name, params.get(name));
    const page = await api(`/api/v1/audit?${query}`);
    const rows = page.records.map((r) => el('tr', { 'data-audit': r.id },
      el('td', {}, time(r.time)), el('td', {}, r.actor), el('td', {}, r.source ?? ''), el('td', {}, r.action),
      el('td', {}, r.subject ?? ''), el('td', { class: r.outcome === 'ok' ? '' : `status-${STATUS.failedBeforeCompletion}` }, r.outcome), el('td', {}, r.detail ?? '')));
    const next = page.nextCursor ? link(`/audit?${new URLSearchParams({ ...Object.fromEntries(params), cursor: page.nextCursor })}`, 'Older') : null;
    table.replaceChildren(page.records.length === 0 ? el('p', {}, 'No audit record yet.') : el('table', {},
      el('thead', {}, el('tr', {}, ...['Time', 'Who', 'From', 'Action', 'Subject', 'Outcome', 'Detail'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows)), ...(next ? [next] : []));
  } catch (error) {
    table.replaceChildren(problem(error));
  }
  return () => {};
}

// ---- Routing ---------------------------------------------------------------------------------

async function route() {
  stopPage();
  const path = location.pathname;
  for (const a of document.querySelectorAll('[data-nav]')) {
    const current = (a.dataset.nav === 'overview' && path === '/') || (a.dataset.nav === 'jobs' && path.startsWith('/jobs')) || (a.dataset.nav === 'audit' && path === '/audit') || (a.dataset.nav === 'attention' && path === '/attention') || (a.dataset.nav === 'schedules' && path.startsWith('/schedules'));
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const match = path.match(/^\/jobs\/(\d+)$/);
  document.title = match ? `Job #${match[1]} – Jobwright` : path.startsWith('/jobs') ? 'Jobs – Jobwright' : path === '/audit' ? 'Audit – Jobwright' : path === '/attention' ? 'Needs attention – Jobwright' : 'Jobwright';
  const schedule = path.match(/^\/schedules(?:\/(\d+))?$/);
  stopPage = match ? await jobDetail(match[1]) : path.startsWith('/jobs') ? await jobList() : path === '/audit' ? await auditTrail()
    : path === '/attention' ? await attention() : schedule ? await schedules(schedule[1]) : await overview();
}

function navigate(href) {
  history.pushState(null, '', href);
  route();
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a');
  if (!a || a.origin !== location.origin || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(a.pathname + a.search);
});
document.getElementById('search').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = document.getElementById('search-id').value.trim();
  if (/^\d+$/.test(id)) navigate(`/jobs/${id}`);
});
window.addEventListener('popstate', route);
route();
