/** Exhaustiveness check for message switches: a new message kind that nobody handles fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
