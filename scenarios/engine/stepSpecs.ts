/**
 * What each step type defines and uses, as data: the variables it creates (and their kind), the
 * variables it reads (and the kinds it accepts), the channel it needs, and its cross-field rules.
 * The semantic checks (`semantics.ts`) read this table; the schema cannot express these rules.
 * @packageDocumentation
 */
import type { ChannelType, Step, StepType } from './data';
import { userStepSpec, type StepTypes } from './userSteps';

/** What a variable holds. */
export type VarKind = 'ByteBuffer' | 'ByteBuf' | 'bytes' | 'stream' | 'weakRef' | 'write' | 'error';

/** A field naming a variable the step creates. */
export interface Definition {
  field: string;
  kind: VarKind;
}

/** A field naming variables the step reads. */
export interface Use {
  field: string;
  /** Accepted kinds; undefined = any. */
  kinds?: readonly VarKind[];
  /** True when the field is an array of names. */
  list?: boolean;
  /** True when a forgotten variable may still be named (the step reads history, not the value). */
  history?: boolean;
}

/** A cross-field fault: the field it concerns (or undefined for the step itself) and the message. */
export interface FieldFault {
  field?: string;
  message: string;
}

/** The static description of one step type. */
export interface StepSpec {
  defines(step: Step): Definition[];
  uses: readonly Use[];
  /** Channels the step works with; undefined = any (including none). */
  channels?: readonly Exclude<ChannelType, 'none'>[];
  /** Cross-field rules. */
  check?(step: Step): FieldFault[];
}

const BUFFERS: readonly VarKind[] = ['ByteBuffer', 'ByteBuf'];
const CONTENT: readonly VarKind[] = ['ByteBuffer', 'ByteBuf', 'bytes'];
const ANY_CHANNEL = ['bbawc', 'rawc'] as const;
const BBAWC = ['bbawc'] as const;
const RAWC = ['rawc'] as const;

const none = (): Definition[] => [];
const optionalAs = (kind: VarKind) => (s: Step): Definition[] =>
  (s as { as?: string }).as !== undefined ? [{ field: 'as', kind }] : [];
const requiredAs = (kind: VarKind) => (): Definition[] => [{ field: 'as', kind }];

/** Exactly one of `size` and `bytes`; `fill` only with `size`. */
function contentFaults(c: { size?: number; bytes?: number[]; fill?: number }, prefix: string): FieldFault[] {
  const faults: FieldFault[] = [];
  if ((c.size === undefined) === (c.bytes === undefined)) {
    faults.push({ field: prefix === '' ? undefined : prefix, message: `expected exactly one of "size" or "bytes", got ${c.size === undefined ? 'neither' : 'both'}` });
  }
  if (c.fill !== undefined && c.size === undefined) faults.push({ field: `${prefix}${prefix === '' ? '' : '.'}fill`, message: '"fill" goes with "size" (with "bytes" the content is given)' });
  return faults;
}

function notAllowed(step: Record<string, unknown>, fields: string[], why: string): FieldFault[] {
  return fields.filter((f) => step[f] !== undefined).map((f) => ({ field: f, message: `"${f}" is not allowed ${why}` }));
}

const errorUses: Use[] = [{ field: 'sameError', kinds: ['error'] }];

/** The table: one entry per step type of the schema. */
/** The spec of a step type: a built-in one, or one of `steps` (the user's, `--steps`). */
export function specOf(type: string, steps: StepTypes = {}): StepSpec {
  const builtin = (STEP_SPECS as Readonly<Record<string, StepSpec>>)[type];
  if (builtin !== undefined) return builtin;
  const def = steps[type];
  if (def === undefined) throw new Error(`no step type "${type}"`);
  return userStepSpec(def);
}

export const STEP_SPECS: Readonly<Record<StepType, StepSpec>> = {
  allocate: {
    defines: (s) => [{ field: 'as', kind: (s as { type: string }).type === 'ByteBuffer' ? 'ByteBuffer' : 'ByteBuf' }],
    uses: [],
    check(step) {
      const s = step as Extract<Step, { step: 'allocate' }>;
      const raw = s as unknown as Record<string, unknown>;
      if (s.type === 'EMPTY_BUFFER') return notAllowed(raw, ['memory', 'size', 'bytes', 'fill', 'parts'], 'for EMPTY_BUFFER (the shared empty buffer)');
      if (s.type === 'CompositeByteBuf') {
        const faults = notAllowed(raw, ['size', 'bytes', 'fill'], 'for a CompositeByteBuf (give its "parts")');
        if (s.parts === undefined) faults.push({ message: 'missing required property "parts" for a CompositeByteBuf: an array of {size or bytes, memory, fill}' });
        (s.parts ?? []).forEach((p, i) => faults.push(...contentFaults(p, `parts[${i}]`)));
        return faults;
      }
      return [...notAllowed(raw, ['parts'], `for a ${s.type} (only for a CompositeByteBuf)`), ...contentFaults(s, '')];
    },
  },
  wrap: { defines: requiredAs('ByteBuf'), uses: [{ field: 'source', kinds: BUFFERS }] },
  derive: {
    defines: requiredAs('ByteBuf'),
    uses: [{ field: 'of', kinds: ['ByteBuf'] }],
    check(step) {
      const s = step as Extract<Step, { step: 'derive' }>;
      const needsLength = s.how === 'readSlice' || s.how === 'readRetainedSlice';
      if (needsLength && s.length === undefined) return [{ message: `missing required property "length" for "${s.how}"` }];
      if (!needsLength && s.length !== undefined) return [{ field: 'length', message: `"length" is only for readSlice and readRetainedSlice, not "${s.how}"` }];
      return [];
    },
  },
  retain: { defines: none, uses: [{ field: 'of', kinds: ['ByteBuf'] }] },
  release: { defines: none, uses: [{ field: 'of', kinds: ['ByteBuf'] }] },
  read: { defines: optionalAs('bytes'), uses: [{ field: 'from', kinds: BUFFERS }] },
  forget: { defines: none, uses: [{ field: 'of' }] },
  write: { defines: optionalAs('write'), uses: [{ field: 'source', kinds: BUFFERS }], channels: ANY_CHANNEL },
  getNextChunk: { defines: requiredAs('ByteBuffer'), uses: [], channels: BBAWC },
  getNextByteBuf: { defines: requiredAs('ByteBuf'), uses: [], channels: BBAWC },
  resolveOldestChunk: {
    defines: optionalAs('error'),
    uses: [],
    channels: BBAWC,
    check(step) {
      const s = step as Extract<Step, { step: 'resolveOldestChunk' }>;
      return s.as !== undefined && s.error === undefined ? [{ field: 'as', message: '"as" names the error, so "error" (its message) is required too' }] : [];
    },
  },
  close: { defines: none, uses: [], channels: ANY_CHANNEL },
  consume: {
    defines: (s) => {
      const mode = (s as Extract<Step, { step: 'consume' }>).mode;
      return [{ field: 'as', kind: mode === 'asByteBuf' ? 'ByteBuf' : mode === 'asBytes' ? 'bytes' : 'stream' }];
    },
    uses: [],
    channels: RAWC,
  },
  readStream: { defines: optionalAs('bytes'), uses: [{ field: 'stream', kinds: ['stream'] }] },
  destroyStream: { defines: none, uses: [{ field: 'stream', kinds: ['stream'] }] },
  expectCallback: { defines: none, uses: [{ field: 'write', kinds: ['write'], history: true }, ...errorUses], channels: ANY_CHANNEL },
  expectFuture: { defines: none, uses: [{ field: 'write', kinds: ['write'], history: true }, ...errorUses], channels: ANY_CHANNEL },
  expectRefCnt: { defines: none, uses: [{ field: 'of', kinds: ['ByteBuf'] }] },
  expectRemaining: { defines: none, uses: [{ field: 'of', kinds: CONTENT }] },
  expectBytes: {
    defines: none,
    uses: [{ field: 'of', kinds: CONTENT }, { field: 'contentOf', kinds: CONTENT, list: true, history: true }],
    check(step) {
      const s = step as Extract<Step, { step: 'expectBytes' }>;
      if ((s.bytes === undefined) === (s.contentOf === undefined)) {
        return [{ message: `expected exactly one of "bytes" or "contentOf", got ${s.bytes === undefined ? 'neither' : 'both'}` }];
      }
      return [];
    },
  },
  expectNull: { defines: none, uses: [{ field: 'of' }] },
  expectSame: { defines: none, uses: [{ field: 'of' }, { field: 'sameAs' }] },
  expectOpen: { defines: none, uses: [], channels: ANY_CHANNEL },
  expectBytesWritten: { defines: none, uses: [], channels: RAWC },
  expectLiveBuffers: { defines: none, uses: [{ field: 'createdBy', history: true }] },
  expectEvents: { defines: none, uses: [], channels: BBAWC },
  weakRef: { defines: requiredAs('weakRef'), uses: [{ field: 'of' }] },
  collectGarbage: { defines: none, uses: [] },
  expectWeakRef: { defines: none, uses: [{ field: 'of', kinds: ['weakRef'] }] },
  expectGcLeaks: { defines: none, uses: [] },
  call: {
    defines: optionalAs('ByteBuf'),
    // A built-in function takes a ByteBuffer (semantics.ts checks the kind); a user's, either buffer.
    uses: [{ field: 'source', kinds: BUFFERS }],
    check(step) {
      const s = step as Extract<Step, { step: 'call' }>;
      if (s.module !== undefined) return [];
      const faults: FieldFault[] = [];
      if (s.source === undefined) faults.push({ message: `missing required property "source" for function "${s.function}": a ByteBuffer variable` });
      for (const field of ['args', 'as'] as const) {
        if (s[field] !== undefined) faults.push({ field, message: `"${field}" is for a function of a module of yours ("module"); the built-in "${s.function}" takes only "source"` });
      }
      return faults;
    },
  },
  runStreamConsumer: { defines: optionalAs('bytes'), uses: [], channels: BBAWC },
  runChunkFiller: { defines: optionalAs('bytes'), uses: [], channels: BBAWC },
};
