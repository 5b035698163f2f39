/**
 * The channel versions a scenario can be replayed against, in the order the report shows them.
 * @packageDocumentation
 */
import type { ChannelVersion } from './engine';

/** fixed (this project's channel), legacy (before the seed's fix), regression (Ambry's later closed-path change). */
export const CHANNEL_VERSIONS: readonly ChannelVersion[] = ['fixed', 'legacy', 'regression'];

/** Position of `v` in {@link CHANNEL_VERSIONS} (for sorting; other versions after them). */
export function versionOrder(v: string): number {
  const i = (CHANNEL_VERSIONS as readonly string[]).indexOf(v);
  return i < 0 ? CHANNEL_VERSIONS.length : i;
}
