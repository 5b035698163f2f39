/**
 * Cost limits of a scenario file, checked when it is loaded, before anything big is built: a
 * scenario is a unit test, and a typo or a generated file must fail in a second with a message
 * naming the limit, not after minutes and gigabytes. Each fault names the file, the JSON path
 * where relevant, the limit and the actual value.
 * @packageDocumentation
 */
import type { ContentSpec, ScenarioData, Step } from './data';
import type { SchemaFault } from './schema';

const MiB = 1024 * 1024;

/**
 * Largest scenario file read, in bytes (64 MiB): room for a `bytes` array at its cap written as
 * compactly as JSON allows (`0,` per byte: 32 MiB), and twice that for spacing. Checked from the
 * file's size before it is read.
 */
export const MAX_SCENARIO_FILE_BYTES = 64 * MiB;

/**
 * Deepest nesting of JSON objects and arrays (64 levels); a scenario needs about 5. Checked while
 * parsing, so a deeply nested file fails with this limit instead of a stack overflow.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Most items of a `bytes` array (16 MiB, the largest buffer a scenario makes: the schema's `size`
 * cap). Counted from the raw text when the parser reaches the array, before any item is built.
 */
export const MAX_BYTES_ITEMS = 16 * MiB;

/**
 * Most bytes a scenario may allocate in all (256 MiB): the sum over its steps of `repeat` times
 * the bytes the step makes (an `allocate`'s size, bytes or parts; an integration step's writes).
 * Checked after validation, before any replay.
 */
export const MAX_SCENARIO_ALLOCATION_BYTES = 256 * MiB;

/** `67108864 bytes (64 MiB)`: a byte count with its MiB value when it is a whole number of them. */
export function showBytes(n: number): string {
  return n % MiB === 0 && n > 0 ? `${n} bytes (${n / MiB} MiB)` : `${n} bytes`;
}

/** Bytes one content spec makes. */
function contentSize(c: ContentSpec): number {
  return c.bytes?.length ?? c.size ?? 0;
}

/** Bytes one run of `step` allocates (views, wraps and checks allocate nothing new). */
function bytesMadeBy(step: Step): number {
  if (step.step === 'allocate') return step.parts !== undefined ? step.parts.reduce((n, p) => n + contentSize(p), 0) : contentSize(step);
  if (step.step === 'runStreamConsumer' || step.step === 'runChunkFiller') return step.writes.reduce((n, w) => n + w, 0);
  return 0;
}

/**
 * The fault of a scenario whose allocations (`repeat` x bytes, over every step, whatever version
 * runs it) exceed {@link MAX_SCENARIO_ALLOCATION_BYTES}, at the step where the total crosses it.
 */
export function allocationFault(data: ScenarioData): SchemaFault | undefined {
  const total = data.steps.reduce((n, s) => n + (s.repeat ?? 1) * bytesMadeBy(s), 0);
  if (total <= MAX_SCENARIO_ALLOCATION_BYTES) return undefined;
  let running = 0;
  const at = data.steps.findIndex((s) => (running += (s.repeat ?? 1) * bytesMadeBy(s)) > MAX_SCENARIO_ALLOCATION_BYTES);
  return {
    jsonPath: `$.steps[${at}]`,
    message: `the scenario allocates ${total} bytes in all (repeat x size, over every step), over the budget MAX_SCENARIO_ALLOCATION_BYTES of ${showBytes(MAX_SCENARIO_ALLOCATION_BYTES)}; the total passes it at this step`,
  };
}
