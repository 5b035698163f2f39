/**
 * What the sanitizer must say about each case of the shared resource cases
 * (test/harness/resources/cases.ts), under every runner: the test that fails, its overview line,
 * its resource line with the creation site, and the tests that pass.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const CASES_FILE = 'test/harness/resources/cases.ts';
const ROOT = path.resolve(__dirname, '../../..');

/**
 * `(file:line:` of the line marked `// <marker>` in the cases file (checking `token` is on it):
 * the column of a call depends on how the runner compiles the file (swc puts an imported
 * function's call at its parenthesis), the line does not.
 */
export function caseSite(marker: string, token: string): string {
  const lines = readFileSync(path.join(ROOT, CASES_FILE), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`// ${marker}`));
  if (index < 0) throw new Error(`marker ${marker} not found in ${CASES_FILE}`);
  const column = lines[index]!.indexOf(token);
  if (column < 0) throw new Error(`token ${token} not on the ${marker} line`);
  return `(${CASES_FILE}:${index + 1}:`;
}

/** One leaking case. */
export interface LeakingCase {
  /** The test's own title (the runners' fixtures use the same titles). */
  readonly title: string;
  /** The overview line, exactly. */
  readonly overview: string;
  /** The start of the resource line, up to `created at` / `started at`. */
  readonly resource: string;
  readonly site: string;
}

export const LEAKING: readonly LeakingCase[] = [
  {
    title: 'leaves a server listening',
    overview: '  - 1 server (TCPSERVERWRAP) was opened during the test, but not closed: call server.close() before the test ends (and await its callback).',
    resource: 'Resource 1: server (TCPSERVERWRAP), still open, created at',
    site: caseSite('SERVER-SITE', 'listen'),
  },
  {
    title: 'leaves a socket open after an await',
    overview: '  - 1 socket (TCPWRAP) was opened during the test, but not closed: call socket.destroy() or end() before the test ends.',
    resource: 'Resource 1: socket (TCPWRAP), still open, created at',
    site: caseSite('SOCKET-SITE', 'connect'),
  },
  {
    title: 'leaves a file handle open',
    overview: '  - 1 file handle (FILEHANDLE) was opened during the test, but not closed: await fileHandle.close() before the test ends.',
    resource: 'Resource 1: file handle (FILEHANDLE), still open, created at',
    site: caseSite('FILEHANDLE-SITE', 'open'),
  },
  {
    title: 'leaves a child process running',
    overview: '  - 1 child process (PROCESSWRAP) was opened during the test, but not closed: kill the child process or wait for its exit before the test ends.',
    resource: 'Resource 1: child process (PROCESSWRAP), still open, created at',
    site: caseSite('CHILD-SITE', 'spawn'),
  },
  {
    title: 'leaves a worker running',
    overview: '  - 1 worker (WORKER) was opened during the test, but not closed: call worker.terminate() (or let it exit) before the test ends.',
    resource: 'Resource 1: worker (WORKER), still open, created at',
    site: caseSite('WORKER-SITE', 'new Worker'),
  },
  {
    title: 'leaves a zlib stream open',
    overview: '  - 1 zlib stream (ZLIB) was opened during the test, but not closed: end the stream (stream.end()) or call stream.close() before the test ends.',
    resource: 'Resource 1: zlib stream (ZLIB), still open, created at',
    site: caseSite('ZLIB-SITE', 'createGzip'),
  },
  {
    title: 'does not await an fs/promises call',
    overview:
      '  - 1 fs/promises operation (FSREQPROMISE) was started during the test, but not awaited (still in flight when the test ended): await the promise it returned before the test ends.',
    resource: 'Resource 1: fs/promises operation (FSREQPROMISE), still pending, started at',
    site: caseSite('OP-SITE', 'open'),
  },
  {
    title: 'leaves a tracked resource unreleased',
    overview: "  - 1 tracked resource 'db pool' (64 bytes) was created during the test, but not released: call close().",
    resource: "Resource 1: tracked resource 'db pool', not released, created at",
    site: caseSite('TRACK-SITE', 'track'),
  },
  {
    title: 'leaves a disposable undisposed',
    overview: "  - 1 tracked resource 'lock' (0 bytes) was created during the test, but not released: call [Symbol.dispose]().",
    resource: "Resource 1: tracked resource 'lock', not released, created at",
    site: caseSite('DISPOSE-SITE', 'track'),
  },
];

/** The cases that close what they open, and the one opted out of its kind: they pass. */
export const PASSING: readonly string[] = [
  'closes its server',
  'ends its socket',
  'closes its file handle',
  'kills its child process',
  'terminates its worker',
  'closes its zlib stream',
  'awaits its fs/promises call',
  'releases its tracked resource',
  'disposes its disposable',
  'keeps a server open, opted out of servers',
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The resource line of a case, as a pattern: its start, any function name, its site's file and line. */
export function resourceLine(c: LeakingCase): RegExp {
  return new RegExp(`^${escape(c.resource)} \\S+ ${escape(c.site)}\\d+\\)$`, 'm');
}
