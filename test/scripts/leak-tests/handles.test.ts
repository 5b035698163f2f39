import { AsyncResource } from 'node:async_hooks';
import * as path from 'node:path';
import { HandleTracker, parseStackLine, projectFrames, type ProjectFrameFilter } from '../../../scripts/leak-tests/handles';
import { parseWhyIsNodeRunning } from '../../../scripts/leak-tests/why';
import { engineImmediate, isEngineTurn } from '../../../scenarios/engine/turns';

const root = process.cwd();
const filter: ProjectFrameFilter = {
  root,
  excluded: [path.join(root, 'node_modules'), path.join(root, 'scripts', 'leak-tests')],
  extra: ['/elsewhere/my-scenarios'],
};

describe('parseStackLine', () => {
  it('reads V8 frames with and without a function name', () => {
    expect(parseStackLine('    at Channel.wait (/p/channel/x.ts:12:5)')).toEqual({ fn: 'Channel.wait', file: '/p/channel/x.ts', line: 12, column: 5 });
    expect(parseStackLine('    at async run (/p/a.ts:1:2)')).toEqual({ fn: 'run', file: '/p/a.ts', line: 1, column: 2 });
    expect(parseStackLine('    at /p/a.ts:3:4')).toEqual({ fn: '<anonymous>', file: '/p/a.ts', line: 3, column: 4 });
    expect(parseStackLine('Error')).toBeUndefined();
    expect(parseStackLine('    at new Promise (<anonymous>)')).toBeUndefined();
  });
});

describe('projectFrames', () => {
  it("keeps the project's frames (relative paths) and user scenario dirs; drops Node, dependencies and the runner", () => {
    const stack = [
      'Error',
      '    at AsyncHook.init (/work/x/scripts/leak-tests/handles.ts:1:1)'.replace('/work/x', root),
      '    at new Timeout (node:internal/timers:199:5)',
      '    at setTimeout (node:timers:163:19)',
      `    at Waiter.arm (${root}/channel/internal/waiter.ts:20:7)`,
      `    at Object.transformer (${root}/node_modules/tsx/dist/register.cjs:22:2188)`,
      `    at replay (file://${root}/scenarios/engine/replay.ts:9:3)`,
      '    at helper (/elsewhere/my-scenarios/helper.ts:4:1)',
      '    at other (/tmp/other.ts:1:1)',
    ].join('\n');
    expect(projectFrames(stack, filter)).toEqual([
      { fn: 'Waiter.arm', file: 'channel/internal/waiter.ts', line: 20, column: 7 },
      { fn: 'replay', file: 'scenarios/engine/replay.ts', line: 9, column: 3 },
      { fn: 'helper', file: path.relative(root, '/elsewhere/my-scenarios/helper.ts'), line: 4, column: 1 },
    ]);
  });
});

describe('parseWhyIsNodeRunning', () => {
  it("keeps handles with a project file on their stack, by type, without why-is-node-running's line numbers", () => {
    const lines = [
      'There are 3 handle(s) keeping the process running.',
      '',
      '# Timeout',
      'node_modules/tsx/dist/cli.mjs:1 - minified',
      'channel/internal/waiter.ts:1   - /** line one */',
      'scenarios/engine/replay.ts:1',
      '',
      '# TTYWRAP',
      'node_modules/tsx/dist/cli.mjs:1 - minified',
      '',
      '# FSREQCALLBACK',
      '(unknown stack trace)',
    ];
    expect(parseWhyIsNodeRunning(lines, filter)).toEqual([{ type: 'Timeout', files: ['channel/internal/waiter.ts', 'scenarios/engine/replay.ts'] }]);
  });
});

describe('HandleTracker', () => {
  const pending: NodeJS.Timeout[] = [];
  afterEach(() => pending.splice(0).forEach((t) => clearTimeout(t)));

  it("a timer made from the callback of a run's timer, after track() returned, is the run's; one made outside any run is nobody's", async () => {
    const tracker = new HandleTracker<string>(filter);
    tracker.start();
    try {
      let armed!: () => void;
      const second = new Promise<void>((resolve) => (armed = resolve));
      tracker.track('run-1', () => {
        setTimeout(() => {
          pending.push(setTimeout(() => undefined, 60_000));
          armed();
        }, 1);
      });
      pending.push(setTimeout(() => undefined, 60_000));
      await second;
      expect(tracker.openHandles().map((h) => [h.owner, h.type])).toEqual([['run-1', 'Timeout']]);
    } finally {
      tracker.stop();
    }
  });

  it("the replay engine's own immediates are not recorded; a step's own are", () => {
    const tracker = new HandleTracker<string>(filter);
    tracker.start();
    const made: NodeJS.Immediate[] = [];
    try {
      tracker.track('run-1', () => {
        made.push(engineImmediate(() => undefined));
        made.push(setImmediate(() => undefined));
      });
      expect(tracker.openHandles().map((h) => [h.owner, h.type])).toEqual([['run-1', 'Immediate']]);
      expect(isEngineTurn(made[0]!)).toBe(true);
      expect(isEngineTurn(made[1]!)).toBe(false);
    } finally {
      tracker.stop();
      made.forEach((i) => clearImmediate(i));
    }
  });

  it('a timer or immediate that ran is not open, even before its destroy hook comes', async () => {
    const tracker = new HandleTracker<string>(filter);
    tracker.start();
    try {
      await tracker.track('run-1', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        await new Promise((resolve) => setImmediate(resolve));
      });
      expect(tracker.openHandles()).toEqual([]);
    } finally {
      tracker.stop();
    }
  });

  it('a timer refreshed after it ran is one open handle, from its refresh', async () => {
    const tracker = new HandleTracker<string>(filter);
    tracker.start();
    try {
      const timer = await tracker.track('run-1', async () => {
        const t = setTimeout(() => undefined, 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return t;
      });
      expect(tracker.openHandles()).toEqual([]);
      tracker.track('run-2', () => timer.refresh());
      pending.push(timer);
      expect(tracker.openHandles().map((h) => [h.owner, h.type])).toEqual([['run-2', 'Timeout']]);
    } finally {
      tracker.stop();
    }
  });

  it('a resource of another kind is open until its destroy, the first one of the process run included', async () => {
    const tracker = new HandleTracker<string>(filter);
    tracker.start();
    try {
      const first = tracker.track('run-1', () => new AsyncResource('CUSTOM'));
      tracker.track('run-2', () => new AsyncResource('CUSTOM'));
      const third = tracker.track('run-3', () => new AsyncResource('CUSTOM'));
      expect(tracker.openHandles().map((h) => h.owner)).toEqual(['run-1', 'run-2', 'run-3']);
      first.emitDestroy();
      third.emitDestroy();
      // Node queues destroy events: a turn of the loop delivers them.
      await new Promise((resolve) => setImmediate(resolve));
      expect(tracker.openHandles().map((h) => [h.owner, h.type])).toEqual([['run-2', 'CUSTOM']]);
    } finally {
      tracker.stop();
    }
  });
});
