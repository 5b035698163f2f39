/**
 * Ambry's `ByteBufferAsyncWritableChannel` with the seed's leak fixed properly: the channel
 * releases every wrapper it makes, exactly once, after the write's callback, on every path, and
 * never releases a caller's buffer. Ownership is a flag on the queued chunk, not a set keyed by
 * buffer (a `Set<ByteBuf>` would be wrong: see `ownership.ts`).
 * @packageDocumentation
 */
import type { ChannelEvent } from './AsyncWritableChannel';
import { AbstractByteBufferAsyncWritableChannel } from './AbstractByteBufferAsyncWritableChannel';
import { OWNERSHIP_POLICIES } from './ownership';

/**
 * The **fixed** channel: the one to use.
 *
 * | buffer | who releases it |
 * |---|---|
 * | `ByteBuf` passed to `write` | the caller (usually in its callback), also when the channel is closed |
 * | wrapper made by `write(ByteBuffer)` | the channel, after the callback: on resolution, on `close()`, and at once for a write to a closed channel |
 * | buffer from `getNextByteBuf` | nobody new: the consumer borrows it until `resolveOldestChunk` |
 *
 * @example
 * const channel = new ByteBufferAsyncWritableChannel();
 * channel.write(ByteBuffer.wrap(bytes), (n, err) => console.log(n, err));
 * const chunk = await channel.getNextChunk(); // a view of `bytes`, no copy
 * channel.resolveOldestChunk(null);           // callback(bytes.length, null); wrapper released
 */
export class ByteBufferAsyncWritableChannel extends AbstractByteBufferAsyncWritableChannel {
  /** @param listener receives `Write` after each queued write and `Close` on every `close()`. */
  constructor(listener?: (event: ChannelEvent) => void) {
    super(OWNERSHIP_POLICIES.fixed, listener);
  }
}
