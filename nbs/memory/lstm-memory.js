// Part I in the reader's browser: the palindrome LSTMs and the vanilla RNN of chapter 04,
// with the chapter's linear probes and attribution ranking. Plain ES module, no dependencies.
// The files are written by assignment3.web.export_memory (appendix "The latent walk in the
// browser"); the maths mirrors assignment3.memory (lstm_trace, zero_units, the probes).

import {loadPart, fetchJSON, mountLazily} from '../walk/live.js';

// --- loading -------------------------------------------------------------------
// The manifest and the models named in `keys` (all by default; 'pair': the default model and
// the one compared with it, all the compact figure shows): {manifest, models: {key: model}}.
export async function loadMemory(base = 'memory/', keys = null) {
  const m = await fetchJSON(base + 'memory.json');
  if (keys === 'pair') keys = [m.default, m.compare];
  const want = m.models.filter(d => !keys || keys.includes(d.key));
  const parts = await Promise.all(want.map(d => loadPart(base, d)));
  return {manifest: m, models: Object.fromEntries(want.map((d, i) => [d.key, {...d, p: parts[i]}]))};
}

// --- the recurrences -------------------------------------------------------------
const sigmoid = (v) => 1 / (1 + Math.exp(-v));

// Row-major (rows x cols) matrix W times vector v, plus the column `col` of a second matrix.
function matvec(W, v, rows, cols, out) {
  for (let j = 0; j < rows; j++) { let s = 0; const r = j * cols; for (let k = 0; k < cols; k++) s += W[r + k] * v[k]; out[j] += s; }
  return out;
}

// Every state of `model` on the digits (one-hot inputs), with the cell units `zero` held at 0
// at every step (the ablation). Returns flat (L, H) arrays h, c (LSTM also g, i, f, o) and the logits.
export function run(model, digits, zero = []) {
  const p = model.p, H = model.hidden, D = model.input_dim, L = digits.length, lstm = model.kind === 'lstm';
  const keep = new Float64Array(H).fill(1); for (const j of zero) keep[j] = 0;
  const names = lstm ? ['h', 'c', 'g', 'i', 'f', 'o'] : ['h'], out = {};
  for (const k of names) out[k] = new Float32Array(L * H);
  let h = new Float64Array(H), c = new Float64Array(H);
  for (let t = 0; t < L; t++) {
    const d = digits[t], G = lstm ? 4 * H : H, z = new Float64Array(G);
    const Wx = lstm ? p.W_x : p.W_hx, b = lstm ? p.b : p.b_h;
    for (let j = 0; j < G; j++) z[j] = Wx[j * D + d] + b[j];                  // W_x x_t + b (x_t one-hot)
    matvec(lstm ? p.W_h : p.W_hh, h, G, H, z);                                  // + W_h h_{t-1}
    const hn = new Float64Array(H), cn = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      if (!lstm) { hn[j] = Math.tanh(z[j]); continue; }
      const g = Math.tanh(z[j]), i = sigmoid(z[H + j]), f = sigmoid(z[2 * H + j]), o = sigmoid(z[3 * H + j]);
      cn[j] = (g * i + c[j] * f) * keep[j]; hn[j] = Math.tanh(cn[j]) * o;       // c_t, h_t
      out.g[t * H + j] = g; out.i[t * H + j] = i; out.f[t * H + j] = f; out.o[t * H + j] = o; out.c[t * H + j] = cn[j];
    }
    out.h.set(hn, t * H); h = hn; c = cn;
  }
  const logits = matvec(p.W_ph, h, p.b_p.length, H, Float64Array.from(p.b_p));
  return {...out, logits: Float32Array.from(logits), probs: softmax(logits)};
}

function softmax(v) {
  const mx = Math.max(...v), e = Array.from(v, x => Math.exp(x - mx)), s = e.reduce((a, b) => a + b, 0);
  return Float32Array.from(e, x => x / s);
}

// The probe of `state` ('h' or 'c') at step t (0-based) on that step's state vector:
// softmax(((v - mu_t) / sd_t) W_t + b_t), probabilities of the ten first digits.
export function probe(model, state, v, t) {
  const p = model.p, H = model.hidden, C = p.b_p.length, pre = `probe_${state}_`;
  const mu = p[pre + 'mu'], sd = p[pre + 'sd'], W = p[pre + 'W'], b = p[pre + 'b'];
  const z = Float64Array.from(b.subarray(t * C, (t + 1) * C));
  for (let j = 0; j < H; j++) {
    const a = (v[j] - mu[t * H + j]) / sd[t * H + j], r = (t * H + j) * C;
    for (let k = 0; k < C; k++) z[k] += a * W[r + k];
  }
  return softmax(z);
}

// The probe's readings at every step: (L, C) as an array of Float32Arrays.
export function probeAll(model, state, tr) {
  const H = model.hidden, L = tr[state].length / H;
  return Array.from({length: L}, (_, t) => probe(model, state, tr[state].subarray(t * H, (t + 1) * H), t));
}

// A seeded source of uniform numbers in [0, 1) (mulberry32): the same draws for the same seed.
function uniform(seed) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6D2B79F5) >>> 0; let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x; return ((x ^ (x >>> 14)) >>> 0) / 4294967296; };
}

// The cell units to ablate: the top k of the model's attribution ranking, or k drawn at random (seeded).
export function units(model, k, how = 'top', seed = 0) {
  const rank = Array.from(model.p.rank, Math.round);
  if (how === 'top') return rank.slice(0, k);
  const rnd = uniform(seed), idx = [...rank.keys()];
  for (let i = idx.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
  return idx.slice(0, k);
}

// A random palindrome of length T, from a seeded generator (the same for the same seed).
export function randomPalindrome(T, seed) {
  const rnd = uniform(seed ^ 0x5bd1e995);   // not the stream of units() for the same seed
  const half = Array.from({length: Math.ceil(T / 2)}, () => Math.floor(rnd() * 10));
  return [...half, ...half.slice(0, Math.floor(T / 2)).reverse()];
}

// --- drawing -----------------------------------------------------------------------
function canvas(w, h) {
  const c = document.createElement('canvas'), r = window.devicePixelRatio || 1;
  c.width = w * r; c.height = h * r; c.style.width = w + 'px'; c.style.height = h + 'px';
  c.getContext('2d').scale(r, r); c.w = w; c.h = h;
  return c;
}
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function viridis(v) {
  const x = Math.min(Math.max(v, 0), 1) * 4, i = Math.min(Math.floor(x), 3), u = x - i;
  return `rgb(${VIRIDIS[i].map((a, k) => Math.round(a + u * (VIRIDIS[i + 1][k] - a))).join(',')})`;
}
function clear(cv) { const ctx = cv.getContext('2d'); ctx.clearRect(0, 0, cv.w, cv.h); ctx.font = '11px sans-serif'; return ctx; }

// p(first digit) read from c_t (dashed) and h_t (solid) at every step; the marker at step t.
function drawMemory(cv, reads, y, t) {
  const ctx = clear(cv), L = reads.h.length, l = 30, r = 8, top = 14, bot = 20, W = cv.w - l - r, Hh = cv.h - top - bot;
  const X = (s) => l + (L > 1 ? s / (L - 1) : 0) * W, Y = (p) => top + (1 - p) * Hh;
  ctx.strokeStyle = '#999'; ctx.strokeRect(l, top, W, Hh); ctx.fillStyle = '#333';
  ctx.fillText('1', 18, Y(1) + 4); ctx.fillText('0', 18, Y(0) + 4); ctx.fillText('p(first digit)', l, 10);
  ctx.fillText('t = 1', l, cv.h - 6); ctx.fillText(`t = ${L}`, l + W - 34, cv.h - 6);
  ctx.setLineDash([2, 3]); ctx.beginPath(); ctx.moveTo(l, Y(0.1)); ctx.lineTo(l + W, Y(0.1)); ctx.stroke();
  for (const [k, color, dash] of [['c', '#d62728', [5, 3]], ['h', '#1f77b4', []]]) {
    if (!reads[k]) continue;
    ctx.setLineDash(dash); ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
    reads[k].forEach((p, s) => (s ? ctx.lineTo : ctx.moveTo).call(ctx, X(s), Y(p[y]))); ctx.stroke();
  }
  ctx.setLineDash([]); ctx.lineWidth = 1; ctx.strokeStyle = '#000';
  ctx.beginPath(); ctx.moveTo(X(t), top); ctx.lineTo(X(t), top + Hh); ctx.stroke();
}

// Ten bars per row: each row a distribution over the digits; the true digit in colour.
function drawBars(cv, rows, y) {
  const ctx = clear(cv), l = 58, bw = (cv.w - l - 4) / 10, rh = cv.h / (rows.length + 0.4);
  rows.forEach(([label, p], r) => {
    const base = (r + 1) * rh; ctx.fillStyle = '#333'; ctx.fillText(label, 0, base - rh / 3);
    for (let d = 0; d < 10; d++) {
      ctx.fillStyle = d === y ? '#2ca02c' : '#aaa';
      ctx.fillRect(l + d * bw + 1, base - p[d] * (rh - 14), bw - 2, p[d] * (rh - 14));
      ctx.fillStyle = '#333'; ctx.fillText(String(d), l + d * bw + bw / 2 - 3, base + 10);
    }
  });
}

// Forget (top block) and input gates (bottom block) of the top units of the ranking, per step.
function drawGates(cv, model, tr, n, t, zero) {
  const ctx = clear(cv), H = model.hidden, L = tr.f.length / H, l = 14, top = 12, w = (cv.w - l) / L;
  const rank = Array.from(model.p.rank, Math.round).slice(0, n), rh = (cv.h - top - 6) / (2 * n + 1), off = new Set(zero);
  ctx.fillStyle = '#333'; ctx.fillText(`top ${n} units by attribution: f (top), i (bottom); red: ablated`, l, 9);
  ['f', 'i'].forEach((k, b) => {
    ctx.fillStyle = '#333'; ctx.fillText(k, 2, top + (b * (n + 1) + n / 2) * rh + 4);
    rank.forEach((j, r) => { const yr = top + (b * (n + 1) + r) * rh;
      for (let s = 0; s < L; s++) { ctx.fillStyle = viridis(tr[k][s * H + j]); ctx.fillRect(l + s * w, yr, Math.ceil(w), Math.ceil(rh)); }
      if (off.has(j)) { ctx.fillStyle = '#d62728'; ctx.fillRect(l - 5, yr, 4, Math.ceil(rh)); } });   // ablated: red tick
  });
  ctx.strokeStyle = '#f00'; ctx.strokeRect(l + t * w, top, w, cv.h - top - 6);
}

function el(tag, props = {}, ...kids) { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; }
function control(label, input) { return el('label', {className: 'lw-control'}, label + ' ', input); }
function select(options, value) {
  const s = el('select');
  for (const [v, text] of options) s.add(new Option(text, v, false, v === value));
  return s;
}

// --- the figure ------------------------------------------------------------------------
// Builds the controls and one panel per model inside `div`. data-compact="1" gives the small
// version (the two LSTMs side by side; no probe bars, gates or model choice). URL parameters
// mem_x (the palindrome), mem_T, mem_seed, mem_t, mem_k, mem_how (top or random), mem_model
// and mem_compare set the initial state.
export async function mount(div) {
  const compact = div.dataset.compact === '1', base = div.dataset.src || 'memory/';
  div.textContent = 'Loading the models...';
  let mem;
  try { mem = await loadMemory(base, compact ? 'pair' : null); }
  catch (e) { div.textContent = `The live figure could not load its weights (${e.message}).`; div.dataset.error = '1'; return; }
  const m = mem.manifest, q = new URLSearchParams(location.search), Tmax = m.T;
  const st = {model: q.get('mem_model') ?? m.default, compare: q.get('mem_compare') ?? m.compare,
              T: Math.min(Math.max(+(q.get('mem_T') ?? Tmax), 5), Tmax), seed: +(q.get('mem_seed') ?? 1),
              k: +(q.get('mem_k') ?? 0), how: q.get('mem_how') ?? 'top', t: +(q.get('mem_t') ?? 0)};
  st.x = q.get('mem_x') ? Array.from(q.get('mem_x').replace(/\D/g, ''), Number).slice(0, Tmax) : randomPalindrome(st.T, st.seed);
  if (st.x.length < 5) st.x = randomPalindrome(st.T, st.seed);
  st.T = st.x.length; if (compact) [st.model, st.compare] = [m.default, m.compare];
  const names = m.models.map(d => [d.key, d.name]), H = Math.max(...m.models.map(d => d.hidden));
  const ui = {model: select(names, st.model), compare: select([['', 'nothing'], ...names], st.compare),
    T: el('input', {type: 'number', min: 5, max: Tmax, value: st.T, style: 'width:4em'}),
    x: el('input', {type: 'text', value: st.x.join(''), size: Tmax, spellcheck: false, style: 'font-family:monospace'}),
    rand: el('button', {type: 'button', textContent: 'random palindrome'}),
    t: el('input', {type: 'range', min: 1, max: st.T - 1, step: 1, value: st.t || st.T - 1}),
    k: el('input', {type: 'range', min: 0, max: H, step: 1, value: st.k}),
    how: select([['top', 'top k of the ranking'], ['random', 'k random units']], st.how)};
  const tOut = el('output'), kOut = el('output'), info = el('div', {className: 'lw-info'}), panels = el('div', {className: 'lw-top'});
  const bars = [el('div', {className: 'lw-controls'}), el('div', {className: 'lw-controls'}), el('div', {className: 'lw-controls'})];
  if (!compact) bars[0].append(control('model', ui.model), control('side by side with', ui.compare));
  bars[1].append(control('T', ui.T), ...(compact ? [] : [control('palindrome', ui.x)]), ui.rand);
  bars[2].append(control('step t', ui.t), tOut, control('ablate k', ui.k), kOut, ...(compact ? [] : [ui.how]));
  const xline = el('div', {className: 'lw-info', style: 'font-family:monospace'});
  div.textContent = ''; div.append(...bars, xline, panels, info);
  let views = [];
  const build = () => {   // one panel per shown model
    panels.textContent = '';
    views = [st.model, st.compare].filter((k, i) => k && mem.models[k] && (i === 0 || k !== st.model)).map(k => {
      const model = mem.models[k], v = {model, title: el('div', {className: 'lw-info'}), mem: canvas(compact ? 260 : 300, 130),
        probe: compact ? null : canvas(300, 96), gates: compact || model.kind !== 'lstm' ? null : canvas(300, 170),
        pred: canvas(compact ? 260 : 300, 52), note: el('div', {className: 'lw-info'})};
      panels.append(el('div', {className: 'lm-panel'}, v.title, v.mem, ...(v.probe ? [v.probe] : []), ...(v.gates ? [v.gates] : []), v.pred, v.note));
      return v;
    });
  };
  const compute = () => {   // the forward passes for the current palindrome and ablation
    const t0 = performance.now(), digits = st.x.slice(0, st.T - 1);
    for (const v of views) {
      const lstm = v.model.kind === 'lstm';
      v.zero = lstm ? units(v.model, Math.min(st.k, v.model.hidden), st.how, st.seed) : [];
      v.tr = run(v.model, digits, v.zero);
      v.reads = {h: probeAll(v.model, 'h', v.tr), ...(lstm ? {c: probeAll(v.model, 'c', v.tr)} : {})};
    }
    const ms = performance.now() - t0;
    info.textContent = `Red dashed: the probe reads c_t; blue: h_t; dotted: chance. ` + (ms > 0 ? `Computed in ${ms.toFixed(1)} ms.` : '');
  };
  const draw = () => {   // everything that depends on t
    const y = st.x[0], t = st.t - 1;
    xline.textContent = `input: ${st.x.slice(0, st.T - 1).join('')} -> the model must answer ${st.x[st.T - 1]} (the first digit is ${y})` +
      (st.x.join('') === [...st.x].reverse().join('') ? '' : '; not a palindrome, the answer is still the first digit');
    for (const v of views) {
      const lstm = v.model.kind === 'lstm', a = v.model.accuracy;
      v.title.innerHTML = `<b>${v.model.name}</b> (held-out accuracy ${a.toFixed(3)})`;
      drawMemory(v.mem, v.reads, y, t);
      if (v.probe) drawBars(v.probe, [...(lstm ? [[`c_${st.t}`, v.reads.c[t]]] : []), [`h_${st.t}`, v.reads.h[t]]], y);
      if (v.gates) drawGates(v.gates, v.model, v.tr, 16, t, v.zero);
      drawBars(v.pred, [['answer', v.tr.probs]], st.x[st.T - 1]);
      const best = v.tr.probs.indexOf(Math.max(...v.tr.probs));
      v.note.textContent = `predicts ${best} (p = ${v.tr.probs[best].toFixed(2)}); p(first digit from c_t, h_t) at t = ${st.t}: ` +
        (lstm ? `${v.reads.c[t][y].toFixed(2)}, ` : '-, ') + v.reads.h[t][y].toFixed(2) +
        (lstm ? `; ${v.zero.length} cell units ablated` : '; the RNN has no cell to ablate');
    }
    tOut.value = String(st.t); kOut.value = String(st.k);
    div.dataset.ready = '1';
  };
  const setX = (x) => { st.x = x; st.T = x.length; ui.T.value = st.T; ui.x.value = x.join('');
    ui.t.max = st.T - 1; st.t = Math.min(st.t || st.T - 1, st.T - 1); ui.t.value = st.t; compute(); draw(); };
  ui.model.addEventListener('change', () => { st.model = ui.model.value; build(); compute(); draw(); });
  ui.compare.addEventListener('change', () => { st.compare = ui.compare.value; build(); compute(); draw(); });
  ui.T.addEventListener('change', () => { const T = Math.min(Math.max(Math.round(+ui.T.value) || 5, 5), Tmax);
    st.t = T - 1; setX(randomPalindrome(T, st.seed)); });
  ui.rand.addEventListener('click', () => { st.seed += 1; st.t = st.T - 1; setX(randomPalindrome(st.T, st.seed)); });
  ui.x.addEventListener('change', () => { const x = Array.from(ui.x.value.replace(/\D/g, ''), Number).slice(0, Tmax);
    if (x.length >= 5) setX(x); else ui.x.value = st.x.join(''); });
  ui.t.addEventListener('input', () => { st.t = +ui.t.value; draw(); });
  ui.k.addEventListener('input', () => { st.k = +ui.k.value; compute(); draw(); });
  ui.how.addEventListener('change', () => { st.how = ui.how.value; compute(); draw(); });
  st.t = Math.min(st.t || st.T - 1, st.T - 1); ui.t.value = st.t;
  build(); compute(); draw();
}

mountLazily('.lstm-memory', mount);
