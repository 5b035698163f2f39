/**
 * bytebuf-leak-harness: Netty's reference-counted buffer model for Node.js, with an instrumented
 * allocator, an exact per-scope leak ledger, a GC-based leak path and actionable reports.
 *
 * This file is the harness's one public entry; everything else is internal.
 * @packageDocumentation
 */
export {
  ArrayIndexOutOfBoundsException,
  BufferOverflowException,
  BufferUnderflowException,
  HarnessError,
  IllegalArgumentException,
  IllegalReferenceCountException,
  IllegalStateException,
  IndexOutOfBoundsException,
  InvalidMarkException,
  NullPointerException,
  ReadOnlyBufferException,
  UnsupportedOperationException,
} from './errors';
export { ByteBuffer } from './buffers/ByteBuffer';
export { ByteBuf, MAX_CAPACITY, type ReferenceCounted } from './buffers/ByteBuf';
export { AbstractReferenceCountedByteBuf } from './buffers/AbstractReferenceCountedByteBuf';
export { UnpooledByteBuf, UnpooledDirectByteBuf, UnpooledHeapByteBuf } from './buffers/UnpooledByteBuf';
export { DerivedByteBuf, ReadOnlyByteBuf, UnpooledDuplicatedByteBuf, UnpooledSlicedByteBuf } from './buffers/DerivedByteBuf';
export { CompositeByteBuf, DEFAULT_MAX_COMPONENTS } from './buffers/CompositeByteBuf';
export { EmptyByteBuf } from './buffers/EmptyByteBuf';
export { ByteBufAllocator, UnpooledByteBufAllocator, DEFAULT_INITIAL_CAPACITY } from './buffers/ByteBufAllocator';
export { Unpooled, EMPTY_BUFFER, type BufferSource } from './buffers/Unpooled';
export { ByteBufUtil } from './buffers/ByteBufUtil';

export {
  LEAK_LEVELS,
  DEFAULT_SETTINGS,
  parseLeakLevel,
  parseRecordsMode,
  RECORDS_MODES,
  settingsFromEnv,
  type LeakLevel,
  type RecordsMode,
  type LeakDetectionSettings,
} from './tracking/config';
export { LeakDetection, ledger, type Scoped } from './tracking/LeakDetection';
export { LeakScope, isLeakScope, type LedgerCheckpoint, type Misuse } from './tracking/LeakScope';
export type { LeakTracker, BufferKind, RecordKind, TraceRecord } from './tracking/LeakTracker';
export {
  buildLeakReport,
  formatLeakReport,
  leakReportToJson,
  fixHint,
  summaryLine,
  LeakError,
  type LeakReport,
  type LeakGroup,
  type LeakedBuffer,
  type LeakRecordInfo,
  type MisuseInfo,
  type StackFrameInfo,
} from './tracking/report';
export {
  collectGarbage,
  drainGcLeaks,
  gcCheckpoint,
  onGcLeak,
  GcTimeoutError,
  type CollectGarbageOptions,
  type GcCheckpoint,
  type GcLeak,
} from './tracking/gcLeaks';
export { formatFrame, userFrames } from './tracking/stack';
export { track, type TrackOptions, type ReleaseMethod } from './resources/track';
export { NODE_RESOURCE_KINDS, type NodeResourceKind } from './resources/nodeResources';
