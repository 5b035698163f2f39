/**
 * `--shard i/n`: a deterministic share of the scenario×version runs, so a large corpus can be
 * spread over CI machines. Run number k of the full plan (0-based, in plan order: scenario files
 * sorted by path, versions in the order fixed, legacy, regression) belongs to shard `k mod n + 1`.
 * Index modulo (rather than a hash of the name) keeps the shares within one run of each other;
 * every machine loads the same corpus, so the plan, and hence the split, is the same everywhere.
 * @packageDocumentation
 */
import { UsageError } from './errors';

/** Shard `index` of `count` (both 1-based: `1/2` and `2/2`). */
export interface Shard {
  index: number;
  count: number;
}

const SHARD = /^(\d+)\/(\d+)$/;

/** Parses `i/n`; throws a {@link UsageError} unless 1 <= i <= n. */
export function parseShard(text: string): Shard {
  const m = SHARD.exec(text.trim());
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(index >= 1 && count >= 1 && index <= count && Number.isSafeInteger(count))) {
    throw new UsageError(`Expected \`--shard\` to be i/n with whole numbers 1 <= i <= n, got \`${text}\``);
  }
  return { index, count };
}

/** True when plan position `planIndex` (0-based) belongs to `shard`. */
export function inShard(planIndex: number, shard: Shard | undefined): boolean {
  return shard === undefined || planIndex % shard.count === shard.index - 1;
}

/** `i/n`. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
