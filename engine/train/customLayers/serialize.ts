// Initializers and regularizers inside a custom layer's config: live objects when the model is
// built, {className, config} dictionaries after a save/load round trip (tfjs's own format).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export type Initializer = ReturnType<typeof tfl.initializers.zeros>;
export type Regularizer = ReturnType<typeof tfl.regularizers.l1l2>;
type Serializable = tf.serialization.Serializable;
export type Stored = { className: string; config: tf.serialization.ConfigDict };

export function serializeObject(o: Serializable | undefined): Stored | null {
  return o ? { className: o.getClassName(), config: o.getConfig() } : null;
}

/** The live object for a config value: itself, or a registered class built from its dictionary. */
export function revive<T extends Serializable>(value: unknown): T | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value as Partial<Stored> & { getClassName?: unknown };
  if (typeof v.getClassName === 'function') return value as T;
  const entry = v.className ? tf.serialization.SerializationMap.getMap().classNameMap[v.className] : undefined;
  if (!entry) throw new Error(`Unknown class '${String(v.className)}' in a saved layer config.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, v.config ?? {}) as T;
}
