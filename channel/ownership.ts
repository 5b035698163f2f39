/**
 * The three `ByteBufferAsyncWritableChannel` versions, as data: the ownership table reduced
 * to the two decisions where they differ. Everything else is shared code.
 *
 * | decision | legacy (Ambry #3162) | regression (Ambry #3180) | fixed |
 * |---|---|---|---|
 * | channel-owned wrapper, once its write is acknowledged | kept (leak) | released | released |
 * | source of a write to a closed channel | released, even the caller's `ByteBuf` | dropped (a wrapper leaks) | released only if the channel owns it |
 * @packageDocumentation
 */

/** Which behaviour a `ByteBufferAsyncWritableChannel` reproduces. */
export type ChannelVersion = 'fixed' | 'legacy' | 'regression';

/** Every version, in the order the spec lists them. */
export const CHANNEL_VERSIONS: readonly ChannelVersion[] = ['legacy', 'regression', 'fixed'];

/** What `write` does with its source when the channel is already closed. */
export type ClosedWriteRelease =
  /** legacy: releases the source, whoever owns it (over-releases a caller's `ByteBuf` whose callback releases it). */
  | 'release-source'
  /** regression: releases nothing (a wrapper the channel just made is dropped unreleased). */
  | 'release-nothing'
  /** fixed: releases the source only when the channel made it (a wrapper); never the caller's. */
  | 'release-if-owned';

/** How one version treats the buffers it queues. */
export interface OwnershipPolicy {
  readonly version: ChannelVersion;
  /** True when a channel-owned wrapper is released right after its write's callback. */
  readonly releaseOwnedAfterAcknowledgement: boolean;
  readonly onWriteToClosed: ClosedWriteRelease;
}

/** The policy of each version. */
export const OWNERSHIP_POLICIES: Readonly<Record<ChannelVersion, OwnershipPolicy>> = Object.freeze({
  legacy: Object.freeze({ version: 'legacy', releaseOwnedAfterAcknowledgement: false, onWriteToClosed: 'release-source' }),
  regression: Object.freeze({ version: 'regression', releaseOwnedAfterAcknowledgement: true, onWriteToClosed: 'release-nothing' }),
  fixed: Object.freeze({ version: 'fixed', releaseOwnedAfterAcknowledgement: true, onWriteToClosed: 'release-if-owned' }),
});
