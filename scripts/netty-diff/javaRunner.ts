/**
 * The Java side: finds `java`, `javac` and Netty's jars, compiles `java/NettyDiffRunner.java` into
 * a cache directory when its source changed, and drives one JVM for all sequences (a batch is
 * written as JSON lines, its traces read back in order), so shrinking can ask Netty again at the
 * cost of a pipe round trip, not a JVM start.
 * @packageDocumentation
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedSequence } from './resolve';
import type { Trace } from './trace';

/** What to run Netty with. */
export interface Toolchain {
  readonly java: string;
  readonly javac: string;
  readonly classpath: string;
}

/** The Java runner failed: it did not compile, it exited, or it wrote what is not a trace (a JVM crash). */
export class JavaRunnerError extends Error {
  override readonly name = 'JavaRunnerError';
  readonly code = 'ERR_NETTY_DIFF_JAVA_RUNNER';
}

/** The one line printed when the toolchain is missing. */
export const INSTALL_HINT = 'apt-get install libnetty-java default-jdk-headless';

const SOURCE = path.join(__dirname, 'java', 'NettyDiffRunner.java');

function onPath(name: string, envPath: string | undefined): string | null {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

/**
 * `java` and `javac` from `PATH`, Netty's jars from `NETTY_DIFF_JAR_DIR` (default
 * `/usr/share/java`, where Debian's `libnetty-java` puts them); or one line naming what is missing
 * and what to install.
 */
export function findToolchain(env: NodeJS.ProcessEnv): Toolchain | { missing: string } {
  const java = onPath('java', env.PATH);
  const javac = onPath('javac', env.PATH);
  const jarDir = env.NETTY_DIFF_JAR_DIR ?? '/usr/share/java';
  const jars = ['netty-buffer.jar', 'netty-common.jar'].map((j) => path.join(jarDir, j));
  const absent = [
    ...(java === null ? ['java'] : []),
    ...(javac === null ? ['javac'] : []),
    ...jars.filter((j) => !fs.existsSync(j)),
  ];
  if (absent.length > 0 || java === null || javac === null) {
    return { missing: `netty-diff: needs ${absent.join(', ')}; install them with: ${INSTALL_HINT}` };
  }
  return { java, javac, classpath: jars.join(path.delimiter) };
}

/** Compiles the runner into `cacheDir` unless the class there was built from this very source; returns the class directory. */
export function compileRunner(tools: Toolchain, cacheDir: string): string {
  const source = fs.readFileSync(SOURCE);
  const stamp = createHash('sha256').update(source).update(tools.classpath).digest('hex');
  const stampFile = path.join(cacheDir, 'source.sha256');
  const classFile = path.join(cacheDir, 'NettyDiffRunner.class');
  if (fs.existsSync(classFile) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return cacheDir;
  fs.mkdirSync(cacheDir, { recursive: true });
  const result = spawnSync(tools.javac, ['-nowarn', '-encoding', 'UTF-8', '-d', cacheDir, '-cp', tools.classpath, SOURCE], { encoding: 'utf8' });
  if (result.status !== 0) throw new JavaRunnerError(`javac failed on ${SOURCE}: ${(result.stderr + result.stdout).trim().split('\n').slice(0, 5).join(' | ')}`);
  fs.writeFileSync(stampFile, stamp);
  return cacheDir;
}

/**
 * JVM flags, pinned because they change what Netty does or how its buffers describe themselves:
 * - leak detection off: a sampled buffer would be wrapped in a leak-aware buffer, whose class name
 *   (in error messages) and sampling would vary from run to run;
 * - Netty's defaults otherwise: on JDK 17 that is `sun.misc.Unsafe` (the `...Unsafe...` buffer
 *   classes, whose names are in error messages, and `UnpooledByteBufAllocator.DEFAULT` preferring
 *   direct buffers), as in production; the runner itself only makes Netty's explicit freeing of
 *   direct memory a no-op (see `keepFreedDirectMemory` in the Java source), so a ByteBuffer view
 *   that outlives its buffer reads the bytes it held, not freed memory (a JVM crash);
 * - accessibility and bounds checks on (their defaults): they decide which errors are thrown;
 * - a small heap, so an accidental huge allocation fails fast; serial GC and C1 for a quick start.
 */
export const JVM_FLAGS: readonly string[] = [
  '-Dio.netty.leakDetection.level=disabled',
  '-Dio.netty.buffer.checkAccessible=true',
  '-Dio.netty.buffer.checkBounds=true',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  // C1's intrinsic for java.nio.Buffer.checkIndex throws IndexOutOfBoundsException with the index
  // as its message once compiled, the interpreter without one: off, so the JDK's text is stable.
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:DisableIntrinsic=_checkIndex',
  // A crash log beside the reports, not in the working directory.
  `-XX:ErrorFile=${path.resolve(__dirname, '..', '..', 'reports', 'netty-diff', 'hs_err_pid%p.log')}`,
];

/** How the Java runner receives an op: the sequence's fields, plus what it needs to call the overload. */
function encode(seq: ResolvedSequence): string {
  const ops = seq.ops.map(({ op, spec, creates }) => ({
    ...op,
    sig: spec.javaSig,
    ...(spec.on === undefined ? {} : { cls: spec.on === 'buf' ? 'ByteBuf' : spec.on === 'composite' ? 'CompositeByteBuf' : 'ByteBuffer' }),
    ...(creates === null ? {} : { mk: creates }),
    res: spec.result === 'value' ? 'v' : spec.result === 'self' ? 's' : 'c',
  }));
  return JSON.stringify({ seed: seq.seed, ops });
}

/** One JVM running the Java runner; `run` may be called again once its previous call settled. */
export class JavaRunner {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffered = '';
  private pending: { want: number; got: Trace[]; resolve: (t: Trace[]) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private stderr = '';

  constructor(tools: Toolchain, classDir: string) {
    this.child = spawn(tools.java, [...JVM_FLAGS, '-cp', `${classDir}${path.delimiter}${tools.classpath}`, 'NettyDiffRunner'], { stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.child.on('error', (e) => this.fail(new JavaRunnerError(`cannot start the Java runner: ${e.message}`)));
    this.child.on('exit', (code) => this.fail(new JavaRunnerError(`the Java runner exited (code ${code}) ${this.stderr}`.trim())));
    this.child.stdin.on('error', (e) => this.fail(new JavaRunnerError(`the Java runner stopped reading: ${e.message}`)));
  }

  /** Netty's traces of `seqs`, in order. */
  run(seqs: readonly ResolvedSequence[]): Promise<Trace[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.pending !== null) return Promise.reject(new Error('JavaRunner.run: a batch is already running'));
    if (seqs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending = { want: seqs.length, got: [], resolve, reject };
      this.child.stdin.write(seqs.map(encode).join('\n') + '\n');
    });
  }

  /** Ends the JVM. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await exited;
  }

  private onData(chunk: string): void {
    const text = this.buffered + chunk;
    let start = 0;
    let nl: number;
    // One pass over the chunk; only the unfinished last line is kept for the next one.
    while ((nl = text.indexOf('\n', start)) >= 0) {
      const line = text.slice(start, nl);
      start = nl + 1;
      const p = this.pending;
      if (p === null) continue;
      let trace: Trace;
      try {
        trace = JSON.parse(line) as Trace;
      } catch {
        // E.g. a JVM crash report on stdout: nothing after it can be trusted.
        this.fail(new JavaRunnerError(`the Java runner wrote a line that is not a trace (a JVM crash? its log goes to reports/netty-diff/): ${line.slice(0, 200)}`));
        return;
      }
      p.got.push(trace);
      if (p.got.length === p.want) {
        this.pending = null;
        p.resolve(p.got);
      }
    }
    this.buffered = text.slice(start);
  }

  private fail(error: Error): void {
    if (this.failure === null) this.failure = error;
    const p = this.pending;
    this.pending = null;
    p?.reject(this.failure);
  }
}
