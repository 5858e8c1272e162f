// Types of scripts/check-wasm-module.mjs for the TypeScript tests that import it.
export function checkStackless(bytes: Uint8Array, name: string): void;
