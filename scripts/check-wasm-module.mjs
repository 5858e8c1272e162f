// The safety check of the kernels' wasm modules (scripts/build-wasm.mjs runs it on every build): a
// module sharing the tfjs backend's memory may import only that memory and may have no global (a
// stack pointer would point into tensors), no data segment (written over the heap when it is
// instantiated) and no start function.

/** The ids of the sections of a wasm binary (they follow the 8-byte header: an id byte, a LEB128 size). */
function sectionIds(bytes) {
  const ids = [];
  let at = 8;
  while (at < bytes.length) {
    ids.push(bytes[at++]);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      size += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    at += size;
  }
  return ids;
}

const GLOBAL_SECTION = 6, START_SECTION = 8, DATA_SECTION = 11;

/** Throws unless the module only reads and writes the memory it imports. */
export function checkStackless(bytes, name) {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  const foreign = imports.filter((i) => !(i.module === 'env' && i.name === 'memory' && i.kind === 'memory'));
  if (foreign.length > 0) throw new Error(`${name} imports ${foreign.map((i) => `${i.module}.${i.name}`).join(', ')}: it may import only env.memory.`);
  const ids = sectionIds(bytes);
  if (ids.includes(GLOBAL_SECTION)) throw new Error(`${name} has a global (a stack pointer or runtime state): it would keep state in tfjs's memory. Keep the kernels stackless.`);
  if (ids.includes(DATA_SECTION)) throw new Error(`${name} has a data segment: instantiating it would write into tfjs's heap. Keep the kernels free of static data (strings, arrays).`);
  if (ids.includes(START_SECTION)) throw new Error(`${name} has a start function: it would run code at instantiation.`);
}
