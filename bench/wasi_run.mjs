// Runs a WASI command module under node (V8's JIT), the fast reference for bench/run:
//   node --no-warnings bench/wasi_run.mjs program.wasm [args...]
// Also provides bench.host_step (x -> 3x + 1, wrapping), the import of the hostcall workload.
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const [file, ...args] = argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const imports = {
  wasi_snapshot_preview1: wasi.wasiImport,
  bench: { host_step: (x) => (Math.imul(x, 3) + 1) | 0 },
};
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, imports);
exit(wasi.start(instance));
