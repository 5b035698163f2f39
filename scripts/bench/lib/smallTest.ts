/**
 * The body of the benches' small test, shared by the jest bench file
 * (test/jest/fixtures/many-tests.bench.ts) and the sanitizer-session workload, so both measure the
 * same test: two buffers made, retained, touched and released around an `await`, as typical
 * channel tests do.
 * @packageDocumentation
 */
import { ByteBuffer, Unpooled } from '../../../harness';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs the body; `checkReadable` gets the copy's readable bytes (64), as the runner's assertion. */
export async function smallTestBody(checkReadable: (bytes: number) => void): Promise<void> {
  const buf = Unpooled.buffer(64);
  const wrapper = Unpooled.wrappedBuffer(ByteBuffer.allocate(64));
  buf.writeBytes(wrapper.retain().touch('copy'));
  wrapper.release();
  await tick();
  checkReadable(buf.readableBytes());
  buf.release();
  wrapper.release();
}
