// The shipped MNIST generator, running in the reader's browser: a live latent walk.
// Plain ES module, no dependencies. The weights and endpoint codes are written by
// assignment3.web.export_walk (appendix chapter "The latent walk in the browser");
// the maths mirrors assignment3.interpolation (interpolate, slerp_weights, pick_latent).

import {loadPart, fetchJSON, mountLazily} from './live.js';

// --- loading -----------------------------------------------------------------
// Everything the figure needs: {manifest, gen, clf, codes}; clf only when asked for.
export async function loadWalk(base = 'walk/', {classifier = true} = {}) {
  const m = await fetchJSON(base + 'latent-walk.json');
  const get = (part) => loadPart(base, m[part]);
  const [g, c, codes] = await Promise.all([get('generator'), classifier ? get('classifier') : null, get('codes')]);
  const gen = m.generator.layers.map((l, i) => ({...l, W: g[`W${i}`], scale: l.scale ? g[`scale${i}`] : null, bias: g[`bias${i}`]}));
  return {manifest: m, gen, clf: c, codes: codes.codes};
}

// --- the generator: act(scale * (W x) + bias), layer by layer ---------------------
function dense(W, x, nOut, nIn) {
  const y = new Float32Array(nOut);
  for (let j = 0; j < nOut; j++) {
    let s = 0; const r = j * nIn;
    for (let i = 0; i < nIn; i++) s += W[r + i] * x[i];
    y[j] = s;
  }
  return y;
}

export function generate(gen, z) {
  let x = Float32Array.from(z);
  for (const l of gen) {
    const y = dense(l.W, x, l.out, l.in);
    for (let j = 0; j < l.out; j++) {
      const v = (l.scale ? l.scale[j] * y[j] : y[j]) + l.bias[j];
      y[j] = l.act === 'tanh' ? Math.tanh(v) : (v > 0 ? v : l.slope * v);
    }
    x = y;
  }
  return x;   // 784 pixels in [-1, 1], row-major 28 x 28
}

// --- the classifier: two 3x3 conv + ReLU + 2x2 max-pool blocks, two linear layers -----
function convReluPool(x, W, b, cin, cout, H) {
  const conv = new Float32Array(cout * H * H), h = H / 2, out = new Float32Array(cout * h * h);
  for (let o = 0; o < cout; o++) for (let r = 0; r < H; r++) for (let c = 0; c < H; c++) {
    let s = b[o];
    for (let i = 0; i < cin; i++) for (let kr = 0; kr < 3; kr++) {
      const rr = r + kr - 1; if (rr < 0 || rr >= H) continue;
      for (let kc = 0; kc < 3; kc++) {
        const cc = c + kc - 1; if (cc < 0 || cc >= H) continue;
        s += W[((o * cin + i) * 3 + kr) * 3 + kc] * x[(i * H + rr) * H + cc];
      }
    }
    conv[(o * H + r) * H + c] = s > 0 ? s : 0;
  }
  for (let o = 0; o < cout; o++) for (let r = 0; r < h; r++) for (let c = 0; c < h; c++) {
    const p = (o * H + 2 * r) * H + 2 * c;
    out[(o * h + r) * h + c] = Math.max(conv[p], conv[p + 1], conv[p + H], conv[p + H + 1]);
  }
  return out;
}

export function classify(clf, img) {
  const [c1, c2] = [clf.conv1_b.length, clf.conv2_b.length];
  let x = convReluPool(img, clf.conv1_W, clf.conv1_b, 1, c1, 28);
  x = convReluPool(x, clf.conv2_W, clf.conv2_b, c1, c2, 14);
  const f = dense(clf.fc_W, x, clf.fc_b.length, x.length).map((v, j) => Math.max(v + clf.fc_b[j], 0));
  const logits = dense(clf.head_W, f, clf.head_b.length, f.length).map((v, j) => v + clf.head_b[j]);
  const mx = Math.max(...logits), e = logits.map(v => Math.exp(v - mx)), tot = e.reduce((a, b) => a + b, 0);
  return e.map(v => v / tot);
}

// --- the path: interpolate() and slerp_weights() of assignment3.interpolation -----
const norm = (v) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

export function pathCode(z0, z1, t, method = 'slerp') {
  if (t <= 0) return Float32Array.from(z0);       // the endpoints exactly, as interpolate() returns them
  if (t >= 1) return Float32Array.from(z1);
  let w0 = 1 - t, w1 = t;
  if (method === 'slerp') {
    const n0 = norm(z0), n1 = norm(z1);
    const u0 = z0.map(v => v / Math.max(n0, 1e-30)), u1 = z1.map(v => v / Math.max(n1, 1e-30));
    const om = 2 * Math.atan2(norm(u0.map((v, i) => v - u1[i])), norm(u0.map((v, i) => v + u1[i])));
    const so = Math.sin(om);
    if (so > 1e-6 && n0 > 0 && n1 > 0) { w0 = Math.sin((1 - t) * om) / so; w1 = Math.sin(t * om) / so; }
  }
  return z0.map((v, i) => w0 * v + w1 * z1[i]);
}

// The endpoint codes pick_latent(G, [start, end], seed) returns: the first confident
// code of each digit, or the first two when start == end.
export function endpoints(walk, start, end, seed) {
  const m = walk.manifest.codes, s = m.seeds.indexOf(seed), D = m.latent_dim, k = m.per_digit;
  if (s < 0) throw new Error(`seed ${seed} is not in the exported table (${m.seeds.join(', ')})`);
  const at = (d, j) => walk.codes.subarray(((s * 10 + d) * k + j) * D, ((s * 10 + d) * k + j + 1) * D);
  return [at(start, 0), at(end, start === end ? 1 : 0)];
}

// --- drawing -------------------------------------------------------------------
function drawDigit(ctx, img, x, y, size) {
  const id = new ImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const g = Math.round(Math.min(Math.max((img[i] + 1) / 2, 0), 1) * 255);
    id.data.set([g, g, g, 255], 4 * i);
  }
  const tmp = document.createElement('canvas'); tmp.width = tmp.height = 28;
  tmp.getContext('2d').putImageData(id, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tmp, x, y, size, size);
}

function canvas(w, h, cls) {
  const c = document.createElement('canvas'), r = window.devicePixelRatio || 1;
  c.width = w * r; c.height = h * r; c.style.width = w + 'px'; c.style.height = h + 'px'; c.className = cls;
  c.getContext('2d').scale(r, r);
  return c;
}

function control(label, input) {
  const l = document.createElement('label'); l.className = 'lw-control';
  l.append(label + ' ', input);
  return l;
}

function select(options, value) {
  const s = document.createElement('select');
  for (const o of options) s.add(new Option(String(o), String(o), false, String(o) === String(value)));
  return s;
}

function plotProbs(ctx, W, H, ts, ps, start, end, t) {
  const L = 46, R = 10, T = 8, B = 40, x = (u) => L + u * (W - L - R), y = (p) => T + (1 - p) * (H - T - B);
  ctx.clearRect(0, 0, W, H); ctx.font = '12px sans-serif'; ctx.fillStyle = '#333'; ctx.strokeStyle = '#999'; ctx.lineWidth = 1;
  ctx.strokeRect(L, T, W - L - R, H - T - B);
  for (const p of [0, 0.5, 1]) ctx.fillText(p.toFixed(1), 20, y(p) + 4);
  ctx.save(); ctx.translate(12, y(0.5)); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center';
  ctx.fillText('class probability', 0, 0); ctx.restore();   // the y-axis title
  for (const u of [0, 0.5, 1]) ctx.fillText(String(u), x(u) - 4 * String(u).length, H - B + 15);
  ctx.fillText('t', x(0.75) - 2, H - B + 15);
  const colors = [[start, '#1f77b4'], ...(end !== start ? [[end, '#d62728']] : [])];
  colors.forEach(([d, color], k) => {
    ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
    ts.forEach((u, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x(u), y(ps[i][d])));
    ctx.stroke();
    const lx = L + k * 110; ctx.beginPath(); ctx.moveTo(lx, H - 8); ctx.lineTo(lx + 18, H - 8); ctx.stroke();
    ctx.fillText(`p(${d})`, lx + 22, H - 4);
  });
  ctx.strokeStyle = '#000'; ctx.lineWidth = 1; ctx.setLineDash([3, 3]);
  ctx.beginPath(); ctx.moveTo(x(t), T); ctx.lineTo(x(t), H - B); ctx.stroke(); ctx.setLineDash([]);
}

// --- the figure ------------------------------------------------------------------
// Builds the controls and canvases inside `el`. data-compact="1" gives the small version
// (no seed, path or classifier controls). URL parameters walk_start, walk_end, walk_seed,
// walk_method and walk_t set the initial state (handy for screenshots and links).
export async function mount(el) {
  const compact = el.dataset.compact === '1', base = el.dataset.src || 'walk/';
  el.textContent = 'Loading the generator...';
  let walk;
  try { walk = await loadWalk(base, {classifier: !compact}); }
  catch (e) { el.textContent = `The live figure could not load its weights (${e.message}).`; el.dataset.error = '1'; return; }
  const q = new URLSearchParams(location.search), m = walk.manifest.codes;
  const st = {start: +(q.get('walk_start') ?? 9), end: +(q.get('walk_end') ?? 3), seed: +(q.get('walk_seed') ?? m.default_seed),
              method: q.get('walk_method') ?? 'slerp', t: +(q.get('walk_t') ?? 0.5)};
  const digits = [...Array(10).keys()];
  const ui = {start: select(digits, st.start), end: select(digits, st.end), seed: select(m.seeds, st.seed),
              method: select(['slerp', 'lerp'], st.method), t: Object.assign(document.createElement('input'),
              {type: 'range', min: 0, max: 1, step: 0.01, value: st.t})};
  const tOut = document.createElement('output'), big = canvas(compact ? 112 : 168, compact ? 112 : 168, 'lw-big');
  const steps = m.steps + 2, cell = 56, row = canvas(steps * (cell + 4), cell + 18, 'lw-row');
  const chart = compact ? null : canvas(300, 168, 'lw-chart'), info = document.createElement('div');
  const bar = document.createElement('div'); bar.className = 'lw-controls';
  bar.append(control('start', ui.start), control('end', ui.end));
  if (!compact) bar.append(control('seed', ui.seed), control('path', ui.method));
  bar.append(control('t', ui.t), tOut);
  const top = document.createElement('div'); top.className = 'lw-top'; top.append(big);
  if (chart) top.append(chart);
  info.className = 'lw-info';
  el.textContent = ''; el.append(bar, top, ...(compact ? [] : [row]), info);   // the index shows the static row just above
  let z0, z1, probs;
  const redrawPath = () => {
    [z0, z1] = endpoints(walk, st.start, st.end, st.seed);
    const ctx = row.getContext('2d'); ctx.clearRect(0, 0, row.width, row.height); ctx.font = '11px sans-serif'; ctx.fillStyle = '#333';
    for (let i = 0; i < (compact ? 0 : steps); i++) {
      const u = i / (steps - 1);
      drawDigit(ctx, generate(walk.gen, pathCode(z0, z1, u, st.method)), i * (cell + 4), 0, cell);
      ctx.fillText(u.toFixed(2), i * (cell + 4) + 14, cell + 13);
    }
    if (walk.clf) {
      const ts = [...Array(21).keys()].map(i => i / 20);
      probs = {ts, ps: ts.map(u => classify(walk.clf, generate(walk.gen, pathCode(z0, z1, u, st.method))))};
    }
  };
  const redrawT = () => {
    const t0 = performance.now(), img = generate(walk.gen, pathCode(z0, z1, st.t, st.method));
    const ctx = big.getContext('2d'); drawDigit(ctx, img, 0, 0, compact ? 112 : 168);
    tOut.value = st.t.toFixed(2);
    const ms = performance.now() - t0;   // 0 where the clock is virtual (headless tests)
    let text = `t = ${st.t.toFixed(2)}` + (ms > 0 ? `: generated in ${ms.toFixed(1)} ms` : '');
    if (walk.clf) {
      const p = classify(walk.clf, img), best = p.indexOf(Math.max(...p));
      plotProbs(chart.getContext('2d'), 300, 168, probs.ts, probs.ps, st.start, st.end, st.t);
      text = `classifier: ${best} (${p[best].toFixed(2)}); p(${st.start}) = ${p[st.start].toFixed(2)}, p(${st.end}) = ${p[st.end].toFixed(2)}. ` + text;
    }
    info.textContent = text;
    el.dataset.ready = '1';
  };
  for (const k of ['start', 'end', 'seed', 'method']) ui[k].addEventListener('change', () => {
    st[k] = k === 'method' ? ui[k].value : +ui[k].value; redrawPath(); redrawT(); });
  ui.t.addEventListener('input', () => { st.t = +ui.t.value; redrawT(); });
  redrawPath(); redrawT();
}

// Mounted lazily (live.js): a reader who never scrolls to the figure downloads nothing.
export function mountAll() { mountLazily('.latent-walk', mount); }
// Module scripts run after the document is parsed, so the figures are in place by now.
mountAll();
