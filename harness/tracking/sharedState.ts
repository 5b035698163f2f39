/**
 * @internal The harness's process-wide state lives on `globalThis`, not in module variables.
 *
 * Code can load a second copy of the harness: `jest.isolateModules`, `jest.resetModules()` then
 * `require`, two installed copies in `node_modules`. With module variables each copy had a ledger
 * of its own, with tracking off, so its leaks passed silently. Here the first copy to load a part
 * of the state creates it, and every later copy joins it: one ledger, one level, one GC registry.
 *
 * Copies have different classes: an object of the shared state may come from another copy, so
 * code uses it by its shape, never with `instanceof`. A change to the shape of a part must change
 * the key's version, so that copies that disagree on the shape never share it.
 * @packageDocumentation
 */

/** The key of the state on `globalThis`; `Symbol.for` gives every copy the same symbol. */
export const SHARED_STATE_KEY: unique symbol = Symbol.for('bytebuf-leak-harness.state.v2') as never;

type Parts = Record<string, object>;

/** The parts of the state, by name; created on first use, hidden from enumeration of `globalThis`. */
function parts(): Parts {
  const holder = globalThis as { [SHARED_STATE_KEY]?: Parts };
  let found = holder[SHARED_STATE_KEY];
  if (found === undefined) {
    found = Object.create(null) as Parts;
    Object.defineProperty(globalThis, SHARED_STATE_KEY, { value: found, enumerable: false, configurable: false, writable: false });
  }
  return found;
}

/**
 * The shared part `name`: the one every copy of the harness uses, made by `create` in the first
 * copy that asks for it. Call once per module, at load, and keep the result.
 */
export function sharedPart<T extends object>(name: string, create: () => T): T {
  const all = parts();
  const existing = all[name];
  if (existing !== undefined) return existing as T;
  const made = create();
  all[name] = made;
  return made;
}
