// What every live figure of the site shares: reading the exporter's binary files by their
// manifest, and mounting figures lazily. Plain ES module, no dependencies. The files are
// written by assignment3.web (appendix chapter "The latent walk in the browser").

// IEEE 754 half precision to float32.
function halfToFloat(h) {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;                 // subnormal
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

// One tensor of a manifest, out of the binary file it lives in, as a Float32Array.
export function tensor(buf, t) {
  const n = t.shape.reduce((a, b) => a * b, 1), dv = new DataView(buf, t.offset);
  const out = new Float32Array(n);
  if (t.dtype === 'float16') for (let i = 0; i < n; i++) out[i] = halfToFloat(dv.getUint16(2 * i, true));
  else for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true);
  return out;
}

export async function fetchJSON(url) { const r = await fetch(url); if (!r.ok) throw new Error(`${url}: ${r.status}`); return r.json(); }
async function fetchBin(url) { const r = await fetch(url); if (!r.ok) throw new Error(`${url}: ${r.status}`); return r.arrayBuffer(); }

// The tensors of one part of a manifest ({file, tensors}), by name.
export async function loadPart(base, part) {
  const buf = await fetchBin(base + part.file), out = {};
  for (const [k, t] of Object.entries(part.tensors)) out[k] = tensor(buf, t);
  return out;
}

// Each figure (elements matching `selector`) fetches its files only when it comes near the
// screen, so a reader who never scrolls to it downloads nothing and the page loads as fast
// as without it. The URL parameter walk_eager=1 mounts every live figure at once (the site
// check uses it).
export function mountLazily(selector, mount) {
  const els = document.querySelectorAll(selector);
  const eager = new URLSearchParams(location.search).get('walk_eager') === '1';
  if (eager || !('IntersectionObserver' in window)) return els.forEach(el => mount(el));
  const io = new IntersectionObserver((entries) => entries.forEach(e => {
    if (e.isIntersecting) { io.unobserve(e.target); mount(e.target); } }), {rootMargin: '400px'});
  els.forEach(el => { el.textContent = 'The live figure loads when you scroll to it.'; io.observe(el); });
}
