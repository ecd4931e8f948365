// Runs a WASI command under node's own WASI (the reference glint is compared with).
//   node node_wasi.mjs [--dir HOST::GUEST]... [--env K=V]... FILE.wasm [ARGS...]
// Exits with the program's exit code; a trap (any exception from _start) prints it to stderr
// and exits with 134, as `glint run` does.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import process from 'node:process';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
while (argv.length && argv[0].startsWith('--')) {
  const [flag, value] = argv.splice(0, 2);
  if (flag === '--dir') {
    const [host, guest] = value.split('::');
    preopens[guest ?? host] = host;
  } else if (flag === '--env') {
    const eq = value.indexOf('=');
    env[value.slice(0, eq)] = value.slice(eq + 1);
  } else {
    console.error(`node_wasi.mjs: unknown option ${flag}`);
    process.exit(2);
  }
}
const [file, ...args] = argv;
const wasi = new WASI({
  version: 'preview1',
  args: [basename(file), ...args],
  env,
  preopens,
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
let code;
try {
  code = wasi.start(instance);
} catch (e) {
  console.error(`node: ${e}`);
  code = 134;
}
process.exitCode = code;
