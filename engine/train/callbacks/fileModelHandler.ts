// A tf.io IOHandler for a folder on disk in tfjs's own model format (model.json + weights.bin), for
// Node without tfjs-node. Saving never leaves a half-written model where a reader looks: the files go
// to a temporary folder beside the target, are fsynced, and the folder is renamed into place.
import * as tf from '@tensorflow/tfjs-core';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const MODEL = 'model.json';
const WEIGHTS = 'weights.bin';

/** Saves to / loads from `dir` (e.g. <run>/checkpoints/best). `metadata` goes into model.json. */
export function fileModelHandler(dir: string, metadata?: Record<string, object>): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('Only JSON model topologies can be saved to a folder.');
      const weights = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers`,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(metadata || artifacts.userDefinedMetadata ? { userDefinedMetadata: { ...artifacts.userDefinedMetadata, ...metadata } } : {}),
      };
      const parent = dirname(dir);
      mkdirSync(parent, { recursive: true });
      const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}`);
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      writeSynced(join(tmp, MODEL), Buffer.from(JSON.stringify(modelJson)));
      writeSynced(join(tmp, WEIGHTS), Buffer.from(weights));
      syncDir(tmp);
      // A folder cannot be renamed over a non-empty one: move the old one aside first.
      const old = join(parent, `.${basename(dir)}.old-${process.pid}`);
      if (existsSync(dir)) renameSync(dir, old);
      renameSync(tmp, dir);
      syncDir(parent);
      rmSync(old, { recursive: true, force: true });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData: weights }) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = JSON.parse(readFileSync(join(dir, MODEL), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) => group.paths.map((p) => {
          const b = readFileSync(join(dir, basename(p)));
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
        }));
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

function writeSynced(path: string, data: Buffer): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable; some platforms (Windows) cannot open a folder, which is fine to skip. */
function syncDir(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
