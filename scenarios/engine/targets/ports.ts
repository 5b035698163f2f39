/**
 * The project's own ports as targets, defined like a user's: the engine replays a scenario
 * against one of these when no `--target` is given. Each version is judged by the `expected` key
 * of its own name.
 * @packageDocumentation
 */
import { createByteBufferAsyncWritableChannel, RetainingAsyncWritableChannel } from '../../../channel';
import { defineTarget, type Target, type TargetChannel } from '../target';

/** `ByteBufferAsyncWritableChannel` in its three versions (`channel/variants.ts`). */
export const BBAWC_PORT: Target = defineTarget({
  name: 'bbawc',
  channel: 'bbawc',
  versions: {
    legacy: { create: ({ listener }) => createByteBufferAsyncWritableChannel('legacy', listener) },
    regression: { create: ({ listener }) => createByteBufferAsyncWritableChannel('regression', listener) },
    fixed: { create: ({ listener }) => createByteBufferAsyncWritableChannel('fixed', listener) },
  },
});

/** A `RetainingAsyncWritableChannel` with the scenario's size limit, or the default one. */
function retaining(sizeLimitInBytes: number | undefined): RetainingAsyncWritableChannel {
  return sizeLimitInBytes === undefined ? new RetainingAsyncWritableChannel() : new RetainingAsyncWritableChannel(sizeLimitInBytes);
}

/**
 * `RetainingAsyncWritableChannel`: one implementation, listed under the three version names
 * because the rawc scenarios state an expectation for each (they must hold whatever BBAWC
 * version the rest of the code base runs).
 */
export const RAWC_PORT: Target = defineTarget({
  name: 'rawc',
  channel: 'rawc',
  versions: {
    legacy: { create: ({ sizeLimitInBytes }) => retaining(sizeLimitInBytes) },
    regression: { create: ({ sizeLimitInBytes }) => retaining(sizeLimitInBytes) },
    fixed: { create: ({ sizeLimitInBytes }) => retaining(sizeLimitInBytes) },
  },
});

/** The port a scenario of `channel` runs against by default. */
export const PORTS: Readonly<Record<TargetChannel, Target>> = { bbawc: BBAWC_PORT, rawc: RAWC_PORT };
