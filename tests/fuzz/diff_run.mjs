// The V8 half of differential testing: node diff_run.mjs FILE... prints, for each module, the
// same report as `glint-difftool run` (see difftool.cpp): every export f0, f1, ... called in
// order with the same arguments, its result or trap kind and a hash of the memory after it,
// then the exported globals. Any NaN prints as "nan".
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

function show(type, v) {
  switch (type) {
    case "i32": return "i32:" + (v >>> 0);
    case "i64": return "i64:" + BigInt.asUintN(64, v);
    case "f32": if (Number.isNaN(v)) return "f32:nan"; f32[0] = v; return "f32:" + u32[0];
    case "f64": if (Number.isNaN(v)) return "f64:nan"; f64[0] = v; return "f64:" + u64[0];
  }
  return "ref";
}

// V8's trap messages, by the kinds Glint can be compared on (difftool.cpp's trap_class).
function trapClass(e) {
  const m = String(e.message);
  if (e instanceof RangeError && /call stack/i.test(m)) return "stack";
  if (e instanceof WebAssembly.Exception) return "exception";  // a throw no catch took
  if (!(e instanceof WebAssembly.RuntimeError)) return "other: " + m;
  if (/unreachable/.test(m)) return "unreachable";
  if (/memory access out of bounds/.test(m)) return "memory";
  if (/table index is out of bounds|table access/.test(m)) return "table";
  if (/null function|signature mismatch/.test(m)) return "indirect";
  if (/divide by zero|remainder by zero/.test(m)) return "divzero";
  if (/divide result unrepresentable|integer overflow/.test(m)) return "overflow";
  if (/float unrepresentable|invalid conversion/.test(m)) return "conversion";
  return "other: " + m;
}

function fnv1a(bytes) {
  // 64-bit FNV-1a in two 32-bit halves (BigInt is slow over 128 KiB).
  let hi = 0xcbf29ce4, lo = 0x84222325;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    // (hi:lo) * 0x100000001b3 = (hi:lo) * 0x1b3 + (lo << 40)
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    const newLo = loMul >>> 0;
    const newHi = (Math.imul(hi, 0x1b3) + carry + ((lo << 8) >>> 0)) >>> 0;
    hi = newHi; lo = newLo;
  }
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

function argument(type, j) {
  switch (type) {
    case "i32": return j * 31 + 5;
    case "i64": return BigInt(j * 1000003 + 7);
    case "f32": return Math.fround(j + 0.5);
    case "f64": return j * 1.25;
  }
}

// Parameter and result types of each export, read from the binary's type, function and export
// sections (the JS API does not expose them).
function signatures(bytes) {
  let p = 8;
  const u32 = () => { let r = 0, s = 0, b; do { b = bytes[p++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const names = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };
  let types = [], funcs = [], sigs = {};
  while (p < bytes.length) {
    const id = bytes[p++], size = u32(), end = p + size;
    if (id === 1) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        p++;
        const params = [], results = [];
        for (let k = u32(); k > 0; k--) params.push(names[bytes[p++]]);
        for (let k = u32(); k > 0; k--) results.push(names[bytes[p++]]);
        types.push({ params, results });
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcs.push(types[u32()]);
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const len = u32();
        const name = Buffer.from(bytes.subarray(p, p + len)).toString(); p += len;
        const kind = bytes[p++], index = u32();
        if (kind === 0) sigs[name] = funcs[index];
      }
    }
    p = end;
  }
  return sigs;
}

for (const path of process.argv.slice(2)) {
  const bytes = readFileSync(path);
  console.log("module " + basename(path));
  let instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  } catch (e) {
    console.log(e instanceof WebAssembly.RuntimeError ? "instantiate: trap " + trapClass(e)
                                                      : "load error: " + e.message);
    continue;
  }
  const sigs = signatures(bytes), ex = instance.exports;
  for (let f = 0; ("f" + f) in ex; f++) {
    const sig = sigs["f" + f];
    const args = sig.params.map((t, j) => argument(t, j));
    let out;
    try {
      const r = ex["f" + f](...args);
      out = "ok" + (sig.results.length ? " " + show(sig.results[0], r) : "");
    } catch (e) {
      out = "trap " + trapClass(e);
    }
    console.log(`f${f}: ${out} mem ${fnv1a(new Uint8Array(ex.memory.buffer))} budget ${show("i32", ex.budget.value)}`);
  }
  // Global types are not visible from JS either: read them from the global section.
  const gtypes = globalTypes(bytes);
  for (let g = 1; ("g" + g) in ex; g++) console.log(`g${g}: ${show(gtypes[g], ex["g" + g].value)}`);
  console.log(`budget: ${show("i32", ex.budget.value)}`);
}

function globalTypes(bytes) {
  let p = 8;
  const u32 = () => { let r = 0, s = 0, b; do { b = bytes[p++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const names = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };
  while (p < bytes.length) {
    const id = bytes[p++], size = u32(), end = p + size;
    if (id === 6) {
      const out = [];
      for (let n = u32(); n > 0; n--) {
        out.push(names[bytes[p]]);
        p += 2;  // type, mutability
        while (bytes[p] !== 0x0b) {  // the init: one constant (wasm_gen writes no other)
          const op = bytes[p++];
          if (op === 0x41 || op === 0x42) { while (bytes[p++] & 0x80); }
          else if (op === 0x43) p += 4;
          else if (op === 0x44) p += 8;
        }
        p++;
      }
      return out;
    }
    p = end;
  }
  return [];
}
