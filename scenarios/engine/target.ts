/**
 * Targets: the channels a scenario is replayed against. A target names the interface it
 * implements (`bbawc` or `rawc`) and its versions; each version makes a fresh channel per replay
 * and says which expectation of the scenario files it must meet. The project's own ports are
 * targets too (`targets/ports.ts`): the engine has no other way to make a channel.
 * @packageDocumentation
 */
import { HarnessError } from '../../harness';
import type { BBAWC, ChannelEvent, RetainingAsyncWritableChannel } from '../../channel';
import type { ExpectedResult } from './types';

/** The interfaces a target can implement (a scenario's `channel`, except `none`). */
export type TargetChannel = 'bbawc' | 'rawc';

/** Every interface, for messages. */
export const TARGET_CHANNELS: readonly TargetChannel[] = ['bbawc', 'rawc'];

/** What a `bbawc` target makes: Ambry's `ByteBufferAsyncWritableChannel` interface. */
export type TargetBbawc = Pick<BBAWC, 'write' | 'getNextChunk' | 'getNextByteBuf' | 'resolveOldestChunk' | 'close' | 'isOpen'>;

/** What a `rawc` target makes: Ambry's `RetainingAsyncWritableChannel` interface. */
export type TargetRawc = Pick<
  RetainingAsyncWritableChannel,
  'write' | 'isOpen' | 'close' | 'getBytesWritten' | 'consumeContentAsByteBuf' | 'consumeContentAsBytes' | 'consumeContentAsInputStream'
>;

/** The methods each interface's channel must have (checked when a target loads). */
export const CHANNEL_METHODS: Readonly<Record<TargetChannel, readonly string[]>> = {
  bbawc: ['write', 'getNextChunk', 'getNextByteBuf', 'resolveOldestChunk', 'close', 'isOpen'],
  rawc: ['write', 'isOpen', 'close', 'getBytesWritten', 'consumeContentAsByteBuf', 'consumeContentAsBytes', 'consumeContentAsInputStream'],
};

/** The methods `channel` lacks of those a channel of `kind` needs (all of them for a non-object). */
export function missingMethods(channel: unknown, kind: TargetChannel): string[] {
  const needed = CHANNEL_METHODS[kind];
  if (typeof channel !== 'object' || channel === null) return [...needed];
  return needed.filter((m) => typeof (channel as Record<string, unknown>)[m] !== 'function');
}

/** `a bbawc channel needs write, ...`: the end of a message about a missing method. */
export function neededText(kind: TargetChannel): string {
  return `a ${kind} channel needs ${CHANNEL_METHODS[kind].join(', ')}`;
}

/** What the engine passes to `create` for one replay. */
export interface TargetOptions {
  /** `bbawc`: give it the channel's events (`Write` on each write, `Close` on close); scenarios check them. */
  listener: (event: ChannelEvent) => void;
  /** `rawc`: the scenario's `channelOptions.sizeLimitInBytes`; undefined means the channel's default. */
  sizeLimitInBytes?: number;
}

/** The channel type of an interface. */
export type ChannelOf<C extends TargetChannel> = C extends 'bbawc' ? TargetBbawc : TargetRawc;

/**
 * A version's own expectations, instead of (or before) `expectAs`: a function of the scenario's
 * name, or a map from scenario name. A scenario it gives nothing for falls back to `expectAs`.
 */
export type OwnExpectations =
  | ((scenarioName: string) => { leaks: number; overReleases?: number } | undefined)
  | Readonly<Record<string, { leaks: number; overReleases?: number }>>;

/** One version of a target. */
export interface TargetVersion<C extends TargetChannel = TargetChannel> {
  /** A new channel, for one replay (called inside the replay's ledger scope). */
  create(options: TargetOptions): ChannelOf<C>;
  /**
   * The key of the scenario files' `expected` block this version is judged by: `fixed` for a
   * correct channel, `legacy` or `regression` for a deliberately buggy one, or a version name of
   * your own (then scenario files may list it). Default: the version's own name.
   */
  expectAs?: string;
  /** Expectations of its own, looked up first (see {@link OwnExpectations}). */
  expected?: OwnExpectations;
}

/** A target as `defineTarget` takes and returns it. */
export interface TargetDefinition<C extends TargetChannel = TargetChannel> {
  /** Shown in the matrix's column headers (`name:version`); letters, digits, `.`, `_` or `-`. */
  name: string;
  channel: C;
  versions: Readonly<Record<string, TargetVersion<C>>>;
}

/** A target, validated. */
export type Target = TargetDefinition;

/** Marks a value made by {@link defineTarget} (a registered symbol: two loaded copies agree). */
const TARGET_MARK = Symbol.for('bytebuf-leak-harness.target.v1');

/** A target module failed to load, exports the wrong shape, or a factory threw. */
export class TargetLoadError extends HarnessError {
  override readonly name = 'TargetLoadError';
  readonly code = 'ERR_SCENARIO_TARGET';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why `value` is not a target definition (`field: what is wrong`), or undefined. */
export function targetShapeFault(value: unknown): string | undefined {
  if (!isObject(value)) return `expected an object made by defineTarget({ name, channel, versions }), got ${value === null ? 'null' : typeof value}`;
  if (typeof value['name'] !== 'string' || !NAME.test(value['name'])) {
    return `name: expected a name of letters, digits, ., _ or -, got ${JSON.stringify(value['name']) ?? 'nothing'}`;
  }
  if (!(TARGET_CHANNELS as readonly unknown[]).includes(value['channel'])) {
    return `channel: expected "bbawc" or "rawc", got ${JSON.stringify(value['channel']) ?? 'nothing'}`;
  }
  const versions = value['versions'];
  if (!isObject(versions) || Object.keys(versions).length === 0) return 'versions: expected an object with at least one version';
  for (const [name, v] of Object.entries(versions)) {
    if (!NAME.test(name)) return `versions.${name}: expected a version name of letters, digits, ., _ or -`;
    if (!isObject(v)) return `versions.${name}: expected { create, expectAs? , expected? }`;
    if (typeof v['create'] !== 'function') return `versions.${name}.create: expected a function (options) => channel, got ${typeof v['create']}`;
    if (v['expectAs'] !== undefined && (typeof v['expectAs'] !== 'string' || !NAME.test(v['expectAs']))) {
      return `versions.${name}.expectAs: expected a version name such as "fixed", got ${JSON.stringify(v['expectAs'])}`;
    }
    const own = v['expected'];
    if (own !== undefined && typeof own !== 'function' && !isObject(own)) {
      return `versions.${name}.expected: expected a function (scenarioName) => { leaks, overReleases? } | undefined, or a map by scenario name`;
    }
  }
  return undefined;
}

/**
 * Defines a target: a channel of your own the scenarios are replayed against (the default export
 * of a module given to `bytebuf-leak-tests --target`). Checks the shape at once.
 * @throws TargetLoadError naming the field that is wrong.
 * @example
 * export default defineTarget({
 *   name: 'my-channel',
 *   channel: 'bbawc',
 *   versions: { main: { create: ({ listener }) => new MyChannel(listener), expectAs: 'fixed' } },
 * });
 */
export function defineTarget<C extends TargetChannel>(definition: TargetDefinition<C>): TargetDefinition<C> {
  const fault = targetShapeFault(definition);
  if (fault !== undefined) throw new TargetLoadError(`defineTarget: ${fault}`);
  return Object.defineProperty({ ...definition }, TARGET_MARK, { value: true, enumerable: false });
}

/** True for a value made by {@link defineTarget}. */
export function isDefinedTarget(value: unknown): boolean {
  return isObject(value) && (value as Record<symbol, unknown>)[TARGET_MARK] === true;
}

/** The `expected` key a version is judged by. */
export function expectationKey(target: Target, version: string): string {
  return target.versions[version]?.expectAs ?? version;
}

/** The version's own expectation of a scenario, if it gives one. */
export function ownExpectation(target: Target, version: string, scenarioName: string): ExpectedResult | undefined {
  const own = target.versions[version]?.expected;
  if (own === undefined) return undefined;
  const e = typeof own === 'function' ? own(scenarioName) : Object.prototype.hasOwnProperty.call(own, scenarioName) ? own[scenarioName] : undefined;
  return e === undefined ? undefined : { leaks: e.leaks, overReleases: e.overReleases ?? 0 };
}
