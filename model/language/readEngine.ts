// The train keys that choose where a model trains: `engine`, `device`, `processes`, `nodes` and
// `rendezvous` (docs/engines.md). They are checked here, in the model language, so a misspelt
// device or a rendezvous without a port is marked on its line before any Python is started.
import type { Checker } from './check';
import type { MapEntry, SrcNode } from './source';
import { DEVICES, ENGINES, type DeviceName, type EngineName } from './vocabulary';

export interface EngineChoice {
  engine?: EngineName;
  device?: DeviceName;
  /** Processes on this machine (torchrun's --nproc_per_node); 'auto' picks by model size. */
  processes?: number | 'auto';
  /** Machines taking part (torchrun's --nnodes). */
  nodes?: number;
  /** host:port every machine meets at (torchrun's --rdzv_endpoint). */
  rendezvous?: string;
}

export const ENGINE_KEYS = ['engine', 'device', 'processes', 'nodes', 'rendezvous'] as const;

/** One-line docs for hovers, completion and the JSON Schema. */
export const ENGINE_KEY_DOCS: Record<(typeof ENGINE_KEYS)[number], string> = {
  engine: 'Which engine trains the model: tfjs (built in, nothing to install) or pytorch (a Python with torch ≥ 1.13). Default: the setting modelLab.engine, else tfjs.',
  device: 'PyTorch only: auto (cuda, then mps, then cpu), cpu, cuda or mps.',
  processes: 'PyTorch only: processes training data-parallel on this machine (torchrun), or auto (one unless the model is big enough to pay for the exchange of gradients).',
  nodes: 'PyTorch only: how many machines train together; every machine runs the command that joins the run (see the README).',
  rendezvous: 'PyTorch only, with nodes > 1: host:port of the machine every node meets at, e.g. 10.0.0.5:29400.',
};

/** Largest process count accepted: more ranks than this on one machine is a typing slip. */
const MAX_PROCESSES = 256;

export function readEngineChoice(c: Checker, entries: MapEntry[]): EngineChoice | undefined {
  const get = (key: string) => entries.find((e) => e.key === key);
  const out: EngineChoice = {};
  let ok = true;
  const engineEntry = get('engine');
  if (engineEntry) {
    const v = c.oneOf<EngineName>(engineEntry.value, 'train.engine', ENGINES);
    if (v) out.engine = v; else ok = false;
  }
  const deviceEntry = get('device');
  if (deviceEntry) {
    const v = c.oneOf<DeviceName>(deviceEntry.value, 'train.device', DEVICES);
    if (v) out.device = v; else ok = false;
  }
  const processesEntry = get('processes');
  if (processesEntry) {
    const node = processesEntry.value;
    const v = node.kind === 'scalar' && node.value === 'auto' ? 'auto' : c.number(node, 'train.processes (or auto)', { integer: true, min: 1, max: MAX_PROCESSES });
    if (v !== undefined) out.processes = v; else ok = false;
  }
  const nodesEntry = get('nodes');
  if (nodesEntry) {
    const v = c.number(nodesEntry.value, 'train.nodes', { integer: true, min: 1, max: 10_000 });
    if (v !== undefined) out.nodes = v; else ok = false;
  }
  const rdzvEntry = get('rendezvous');
  if (rdzvEntry) {
    const v = readRendezvous(c, rdzvEntry.value);
    if (v !== undefined) out.rendezvous = v; else ok = false;
  }
  if (!ok) return undefined;
  checkCombination(c, entries, out);
  return out;
}

/** `host:port`, the port a number from 1 to 65535 (an IPv6 host goes in brackets, as torchrun takes it):
 *  the host (without brackets) and port, or undefined if the text is not one. */
export function parseRendezvous(v: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
  const port = Number(m?.[2]);
  return m && port >= 1 && port <= 65535 ? { host: (m[1] as string).replace(/^\[(.*)\]$/, '$1'), port } : undefined;
}

function readRendezvous(c: Checker, node: SrcNode): string | undefined {
  const v = node.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
  if (v !== undefined && parseRendezvous(v)) return v;
  c.report(node.range, `train.rendezvous must be host:port (the machine every node meets at, e.g. 10.0.0.5:29400); got ${node.kind === 'scalar' ? JSON.stringify(node.value) : 'a ' + node.kind}.`, 'wrong-type');
  return undefined;
}

/** Keys that only the PyTorch engine reads are marked when the file trains on tfjs, and machines without a meeting point. */
function checkCombination(c: Checker, entries: MapEntry[], o: EngineChoice): void {
  if (o.engine === 'tfjs') {
    for (const key of ['device', 'processes', 'nodes', 'rendezvous']) {
      const e = entries.find((x) => x.key === key);
      if (e) c.report(e.keyRange, `train.${key} is read by the PyTorch engine only; this file trains on tfjs (train.engine: tfjs), which ignores it.`, 'engine-key-ignored', 'warning');
    }
  }
  const nodes = entries.find((x) => x.key === 'nodes');
  if (nodes && (o.nodes ?? 1) > 1 && !o.rendezvous) {
    c.report(nodes.value.range, `train.nodes: ${o.nodes} machines need a meeting point: add train.rendezvous: host:port (a machine every node can reach).`, 'missing-key');
  }
}
