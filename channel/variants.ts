/**
 * The two older `ByteBufferAsyncWritableChannel` behaviours, kept so the harness can prove it
 * catches them. **Never use them in production.** Both share all code with the fixed channel and
 * differ only by their ownership policy (`ownership.ts`).
 * @packageDocumentation
 */
import type { ChannelEvent } from './AsyncWritableChannel';
import { AbstractByteBufferAsyncWritableChannel, type BBAWC } from './AbstractByteBufferAsyncWritableChannel';
import { ByteBufferAsyncWritableChannel } from './ByteBufferAsyncWritableChannel';
import { IllegalArgumentException } from '../harness';
import { CHANNEL_VERSIONS, OWNERSHIP_POLICIES, type ChannelVersion } from './ownership';

/**
 * **legacy** (the seed's "before", Ambry #3162): the wrapper made by `write(ByteBuffer)` is never
 * released (one leak per such write that reaches the queue), and a write to a closed channel
 * releases its source, the caller's `ByteBuf` included (an over-release when the caller's callback
 * releases it too, as the interface tells callers to).
 */
export class LegacyByteBufferAsyncWritableChannel extends AbstractByteBufferAsyncWritableChannel {
  constructor(listener?: (event: ChannelEvent) => void) {
    super(OWNERSHIP_POLICIES.legacy, listener);
  }
}

/**
 * **regression** (Ambry #3180): wrappers are released after acknowledgement, but a wrapper made for
 * a write to an already closed channel is dropped unreleased (one leak per such write).
 */
export class RegressionByteBufferAsyncWritableChannel extends AbstractByteBufferAsyncWritableChannel {
  constructor(listener?: (event: ChannelEvent) => void) {
    super(OWNERSHIP_POLICIES.regression, listener);
  }
}

/** A new channel of the given version; all three are used through the same {@link BBAWC} type. */
export function createByteBufferAsyncWritableChannel(
  version: ChannelVersion,
  listener?: (event: ChannelEvent) => void,
): BBAWC {
  switch (version) {
    case 'fixed':
      return new ByteBufferAsyncWritableChannel(listener);
    case 'legacy':
      return new LegacyByteBufferAsyncWritableChannel(listener);
    case 'regression':
      return new RegressionByteBufferAsyncWritableChannel(listener);
    default:
      throw new IllegalArgumentException(
        `Expected version to be one of ${CHANNEL_VERSIONS.join(', ')}, got ${String(version as unknown)}`,
      );
  }
}
