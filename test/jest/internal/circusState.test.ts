/**
 * The jest-29 mechanism (harness/jest/internal/circusState.ts) against a faithful fake of
 * jest-circus 29.7: `runLikeCircus29` does what its `build/run.js` and `build/eventHandler.js` do
 * with the state (add_hook pushes to the block being declared; run_start sets `hasStarted`; the
 * root block's hooks are read after that; concurrent bodies are called when the root block starts,
 * before their `test_start`; `test_start` sets `currentlyRunningTest`; each-hooks are collected
 * after it, afterEach innermost block first, declaration order; hooks' and tests' `fn` are read
 * when called; an afterEach error goes to `test.errors`, an afterAll error to
 * `state.unhandledErrors`). The sanitizer's session is a private one, so jest's own sanitizer
 * around these tests stays in force; buffers leaked on purpose are released afterwards.
 */
import { ByteBuf, ByteBuffer, Unpooled } from '../../../harness';
import { LeakSanitizerError, SanitizerSession } from '../../../harness/sanitizer';
import type { CircusDescribeBlock, CircusFn, CircusHook, CircusState, CircusTest } from '../../../harness/jest/internal/circus';
import { attachToCircusState } from '../../../harness/jest/internal/circusState';

type Block = CircusDescribeBlock & { children: (Block | CircusTest)[]; parent?: Block };
type Test = CircusTest & { concurrent: boolean; parent: Block };
interface FakeState extends CircusState {
  rootDescribeBlock: Block;
  currentDescribeBlock: Block;
  currentlyRunningTest: Test | null;
  hasStarted: boolean;
  unhandledErrors: unknown[];
}

function makeBlock(name: string, parent?: Block): Block {
  return { type: 'describeBlock', name, parent, children: [], hooks: [] };
}

/** A test file being declared: jest's `describe`, `test`, hooks, on a fake state. */
function declare(state: FakeState) {
  const hook = (type: CircusHook['type']) => (fn: CircusFn) => {
    state.currentDescribeBlock.hooks.push({ type, fn });
  };
  return {
    describe(name: string, body: () => void): void {
      const block = makeBlock(name, state.currentDescribeBlock);
      state.currentDescribeBlock.children.push(block);
      state.currentDescribeBlock = block;
      body();
      state.currentDescribeBlock = block.parent!;
    },
    test(name: string, fn: CircusFn, concurrent = false): Test {
      const t: Test = { type: 'test', name, fn, errors: [], parent: state.currentDescribeBlock, concurrent };
      state.currentDescribeBlock.children.push(t);
      return t;
    },
    beforeAll: hook('beforeAll'),
    beforeEach: hook('beforeEach'),
    afterEach: hook('afterEach'),
    afterAll: hook('afterAll'),
    registrars: {
      afterEach: (fn: () => Promise<void>) => hook('afterEach')(fn as CircusFn),
      afterAll: (fn: () => Promise<void>) => hook('afterAll')(fn as CircusFn),
    },
  };
}

async function call(fn: CircusFn): Promise<unknown> {
  return fn.call({});
}

/** jest-circus 29.7's run loop over the fake state (no timeouts, no retries, no `done`). */
async function runLikeCircus29(state: FakeState): Promise<void> {
  state.hasStarted = true; // run_start
  const runBlock = async (block: Block, isRoot: boolean): Promise<void> => {
    const beforeAll = block.hooks.filter((h) => h.type === 'beforeAll');
    const afterAll = block.hooks.filter((h) => h.type === 'afterAll');
    for (const h of beforeAll) await call(h.fn).catch((e: unknown) => state.unhandledErrors.push(e));
    if (isRoot) {
      const concurrent = (function collect(b: Block): Test[] {
        return b.children.flatMap((c) => (c.type === 'test' ? ((c as Test).concurrent ? [c as Test] : []) : collect(c as Block)));
      })(block);
      for (const t of concurrent) {
        const testFn = t.fn;
        const promise = Promise.resolve().then(() => call(testFn));
        promise.catch(() => undefined);
        t.fn = () => promise;
      }
    }
    for (const child of block.children) {
      if (child.type === 'describeBlock') {
        await runBlock(child as Block, false);
        continue;
      }
      const t = child as Test;
      state.currentlyRunningTest = t; // test_start
      const afterEach: CircusHook[] = [];
      let beforeEach: CircusHook[] = [];
      if (!t.concurrent) {
        for (let b: Block | undefined = t.parent; b !== undefined; b = b.parent) {
          beforeEach = [...b.hooks.filter((h) => h.type === 'beforeEach'), ...beforeEach];
          afterEach.push(...b.hooks.filter((h) => h.type === 'afterEach'));
        }
      }
      for (const h of beforeEach) {
        if (t.errors.length > 0) break;
        await call(h.fn).catch((e: unknown) => t.errors.push([e, e]));
      }
      if (t.errors.length === 0) await call(t.fn).catch((e: unknown) => t.errors.push([e, e]));
      for (const h of afterEach) await call(h.fn).catch((e: unknown) => t.errors.push([e, e]));
      state.currentlyRunningTest = null; // test_done
    }
    for (const h of afterAll) await call(h.fn).catch((e: unknown) => state.unhandledErrors.push(e));
  };
  await runBlock(state.rootDescribeBlock, true);
}

const held: ByteBuf[] = [];
let session: SanitizerSession;
let state: FakeState;
let fileDone: number;
let jest29: ReturnType<typeof declare>;

beforeEach(() => {
  const root = makeBlock('ROOT_DESCRIBE_BLOCK');
  state = { rootDescribeBlock: root, currentDescribeBlock: root, currentlyRunningTest: null, hasStarted: false, unhandledErrors: [] };
  session = new SanitizerSession({ testFile: 'fake.test.js', options: { quiesceMs: 1000 } });
  fileDone = 0;
  jest29 = declare(state);
  // What the setup file does, while the root block is being declared:
  attachToCircusState(session, state, () => fileDone++, jest29.registrars);
});

afterEach(() => {
  session.close();
  for (const b of held.splice(0)) if (b.refCnt() > 0) b.release();
});

function sanitizerErrors(errors: unknown[]): string[] {
  return errors.flatMap((e) => {
    const error = Array.isArray(e) ? e[0] : e;
    return error instanceof LeakSanitizerError ? [error.message.split('\n')[0]!] : [];
  });
}

test('a leaking test gets the check error in test.errors; a clean one none', async () => {
  const leaks = jest29.test('leaks', () => void held.push(Unpooled.wrappedBuffer(ByteBuffer.allocate(100))));
  const clean = jest29.test('clean', () => void Unpooled.buffer(4).release());
  await runLikeCircus29(state);
  expect(sanitizerErrors(leaks.errors)).toEqual(['Leak sanitizer: this test failed the leak check.']);
  expect((leaks.errors[0] as [LeakSanitizerError])[0].message).toContain("SUMMARY: 1 leak(s), 100 byte(s) in scope 'leaks'");
  expect(clean.errors).toEqual([]);
  expect([state.unhandledErrors, fileDone]).toEqual([[], 1]);
});

test("the check runs after the file's own afterEach hooks, root ones declared after the setup file included", async () => {
  let inTest: ByteBuf | undefined;
  jest29.afterEach(() => inTest?.release());
  jest29.describe('block', () => {
    jest29.afterEach(() => undefined);
    jest29.test('keeps a buffer its afterEach releases', () => void (inTest = Unpooled.buffer(8)));
  });
  await runLikeCircus29(state);
  const t = (state.rootDescribeBlock.children[0] as Block).children[0] as Test;
  expect(t.errors).toEqual([]);
});

test('buffers made in beforeEach count in the test; the file check runs after the last afterAll and fails the file', async () => {
  let shared: ByteBuf | undefined;
  let fromHook: ByteBuf | undefined;
  jest29.beforeAll(() => void (shared = Unpooled.buffer(64)));
  jest29.beforeEach(() => void (fromHook = Unpooled.buffer(12)));
  const t = jest29.test('leaks what beforeEach made', () => undefined);
  jest29.afterAll(() => undefined);
  await runLikeCircus29(state);
  held.push(shared!, fromHook!);
  expect((t.errors[0] as [LeakSanitizerError])[0].message).toContain("SUMMARY: 1 leak(s), 12 byte(s) in scope 'leaks what beforeEach made'");
  expect(sanitizerErrors(state.unhandledErrors)).toEqual(["Leak sanitizer: this file's beforeAll/afterAll hooks failed the leak check."]);
});

test('a root afterAll declared after the setup file that releases the beforeAll buffer leaves the file clean', async () => {
  let shared: ByteBuf | undefined;
  jest29.beforeAll(() => void (shared = Unpooled.buffer(64)));
  jest29.test('uses it', () => void shared!.writeByte(1));
  jest29.afterAll(() => void shared!.release());
  await runLikeCircus29(state);
  expect(state.unhandledErrors).toEqual([]);
});

test('a concurrent test, whose body runs before its test_start, is checked by its own function', async () => {
  const leaks = jest29.test('concurrent: leaks', async () => void held.push(Unpooled.buffer(20)), true);
  const clean = jest29.test('concurrent: clean', async () => void Unpooled.buffer(4).release(), true);
  await runLikeCircus29(state);
  expect(sanitizerErrors(leaks.errors)).toEqual(['Leak sanitizer: this test failed the leak check.']);
  expect(clean.errors).toEqual([]);
});

test('an opt-out for a describe block covers the tests of that block (its key is the circus block)', async () => {
  jest29.describe('opted out', () => {
    session.optOut('block shows the opt-out', ['leaks'], { kind: 'block', key: state.currentDescribeBlock, name: 'opted out' });
    jest29.test('leaks, allowed', () => void held.push(Unpooled.buffer(2)));
  });
  await runLikeCircus29(state);
  const t = (state.rootDescribeBlock.children[0] as Block).children[0] as Test;
  expect(t.errors).toEqual([]);
});
