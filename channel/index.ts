/**
 * The channels: TypeScript ports of Ambry's `ByteBufferAsyncWritableChannel` (fixed, plus the
 * legacy and regression behaviours the harness must catch) and `RetainingAsyncWritableChannel`,
 * on the harness's buffers, with the two integration consumers of the seed's production usage.
 *
 * This file is the channels' one public entry.
 * @packageDocumentation
 */
export type { AsyncWritableChannel, WriteCallback, WriteFuture, ChannelEvent } from './AsyncWritableChannel';
export {
  ClosedChannelException,
  RestServiceException,
  IllegalArgumentException,
  IllegalStateException,
  type RestServiceErrorCode,
} from './errors';
export { FutureResult } from './FutureResult';
export { CHANNEL_VERSIONS, OWNERSHIP_POLICIES, type ChannelVersion, type OwnershipPolicy, type ClosedWriteRelease } from './ownership';
export {
  AbstractByteBufferAsyncWritableChannel,
  convertToByteBuffer,
  MAX_TIMEOUT_MS,
  type BBAWC,
} from './AbstractByteBufferAsyncWritableChannel';
export { ByteBufferAsyncWritableChannel } from './ByteBufferAsyncWritableChannel';
export {
  LegacyByteBufferAsyncWritableChannel,
  RegressionByteBufferAsyncWritableChannel,
  createByteBufferAsyncWritableChannel,
} from './variants';
export { RetainingAsyncWritableChannel, DEFAULT_SIZE_LIMIT_IN_BYTES } from './RetainingAsyncWritableChannel';
export { ByteBufReadableStream } from './ByteBufReadableStream';
export {
  ReadableStreamChannelInputStream,
  type ReadableStreamChannelInputStreamOptions,
} from './ReadableStreamChannelInputStream';
export { ChunkFiller, type ChunkFillerOptions, type SendChunk, type SentChunk } from './ChunkFiller';
