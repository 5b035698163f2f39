/**
 * `npm run netty-diff`: generates seeded operation sequences (or replays a file of them), runs each
 * on real Netty (one JVM) and on the model, compares the traces op by op, groups the sequences
 * by the kind of their first divergence, shrinks a few per kind, and prints them with the closing
 * line. Exit 0 when nothing diverges (accepted differences aside), 1 when something does, 2 on a
 * usage error or when Java or Netty's jars are missing.
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { acceptedFor, ACCEPTED, type AcceptedDifference } from './accepted';
import { firstDivergence, type Divergence } from './compare';
import { generateSequences } from './generate';
import { javaCode } from './javaCode';
import { compileRunner, findToolchain, JavaRunner, JavaRunnerError } from './javaRunner';
import { runOnModel } from './modelRunner';
import { parseOptions, USAGE, UsageError, type DiffOptions } from './options';
import { closingLine, formatKinds, type DiffResult, type Example, type KindGroup } from './report';
import { resolveSequence, SequenceError, type ResolvedSequence } from './resolve';
import type { Sequence } from './sequence';
import { shrink, type KindOracle } from './shrink';
import type { Trace } from './trace';

/** Exit codes. */
export const enum DiffExitCode {
  Agrees = 0,
  Diverges = 1,
  Usage = 2,
}

/** Where the command writes, and what it reads. */
export interface DiffIo {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Where the compiled Java runner is kept (`NETTY_DIFF_CLASS_DIR` overrides it). */
const CLASS_DIR = path.resolve(__dirname, '..', '..', 'reports', 'netty-diff', 'classes');
/** Sequences the model runs between two turns of the event loop, so the JVM's pipe keeps flowing. */
const MODEL_SLICE = 250;

function readSequences(file: string): Sequence[] {
  const text = fs.readFileSync(file, 'utf8').trim();
  const parsed: unknown = text.startsWith('[') ? JSON.parse(text) : text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((s, i) => {
    const seq = s as Sequence;
    if (typeof seq !== 'object' || seq === null || !Array.isArray(seq.ops)) throw new UsageError(`${file}: entry ${i} is not a sequence ({ "seed": n, "ops": [...] })`);
    return { seed: typeof seq.seed === 'number' ? seq.seed : i, ops: seq.ops.map((op) => ({ ...op, args: op.args ?? [] })) };
  });
}

async function runModelSliced(seqs: readonly ResolvedSequence[]): Promise<Trace[]> {
  const out: Trace[] = [];
  for (let i = 0; i < seqs.length; i += MODEL_SLICE) {
    out.push(...runOnModel(seqs.slice(i, i + MODEL_SLICE)));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Groups divergences by kind, in order of first appearance. */
function group(outcomes: ReadonlyArray<{ seq: Sequence; d: Divergence; accepted: AcceptedDifference | null }>): Map<string, KindGroup> {
  const groups = new Map<string, KindGroup>();
  for (const { seq, d, accepted } of outcomes) {
    let g = groups.get(d.kind);
    if (g === undefined) groups.set(d.kind, (g = { kind: d.kind, accepted, seeds: [], examples: [] }));
    g.seeds.push(seq.seed);
  }
  return groups;
}

/** Runs the command; resolves to its exit code. */
export async function nettyDiffMain(io: DiffIo, accepted: readonly AcceptedDifference[] = ACCEPTED): Promise<DiffExitCode> {
  let options: DiffOptions;
  let seqs: Sequence[];
  let resolved: ResolvedSequence[];
  try {
    options = parseOptions(io.argv);
    seqs = options.replay !== null ? readSequences(options.replay) : generateSequences(options.seed, options.count, options.maxOps);
    resolved = seqs.map(resolveSequence);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof SequenceError || error instanceof SyntaxError || (error as NodeJS.ErrnoException).code === 'ENOENT')) throw error;
    io.stderr.write(`netty-diff: ${(error as Error).message}\n${USAGE}\n`);
    return DiffExitCode.Usage;
  }
  const tools = findToolchain(io.env);
  if ('missing' in tools) {
    io.stderr.write(`${tools.missing}\n`);
    return DiffExitCode.Usage;
  }
  const started = performance.now();
  let java: JavaRunner;
  try {
    java = new JavaRunner(tools, compileRunner(tools, io.env.NETTY_DIFF_CLASS_DIR ?? CLASS_DIR));
  } catch (error) {
    io.stderr.write(`netty-diff: ${(error as Error).message.split('\n')[0]!}\n`);
    return DiffExitCode.Usage;
  }
  try {
    return await compareAll(io, options, seqs, resolved, java, accepted, started);
  } catch (error) {
    // The JVM died or wrote what is not a trace (a crash report): no verdict can be trusted.
    if (!(error instanceof JavaRunnerError)) throw error;
    io.stderr.write(`netty-diff: ${error.message}\n`);
    return DiffExitCode.Usage;
  } finally {
    await java.close();
  }
}

/** Runs every sequence on both sides, groups and shrinks the divergences, prints and returns the verdict. */
async function compareAll(
  io: DiffIo,
  options: DiffOptions,
  seqs: readonly Sequence[],
  resolved: readonly ResolvedSequence[],
  java: JavaRunner,
  accepted: readonly AcceptedDifference[],
  started: number,
): Promise<DiffExitCode> {
  io.stdout.write(
    options.replay !== null
      ? `netty-diff: ${seqs.length} sequences from ${options.replay}\n`
      : `netty-diff: seed ${options.seed}, ${options.count} sequences of at most ${options.maxOps} operations${options.messages ? '' : ', error messages not compared'} (rerun: npm run netty-diff -- --seed ${options.seed} --count ${options.count} --max-ops ${options.maxOps}${options.messages ? '' : ' --ignore-messages'})\n`,
  );
  const nettyStart = performance.now();
  let nettyEnd = 0;
  const nettyTraces = java.run(resolved).then((t) => ((nettyEnd = performance.now()), t));
  // Awaited below, after the model's run: a JVM that fails meanwhile must not be an unhandled rejection.
  nettyTraces.catch(() => undefined);
  const modelStart = performance.now();
  const modelTraces = await runModelSliced(resolved);
  const modelSeconds = (performance.now() - modelStart) / 1000;
  const netty = await nettyTraces;

  const outcomes = resolved.flatMap((r, i) => {
    const d = firstDivergence(r, netty[i]!, modelTraces[i]!, options);
    return d === null ? [] : [{ seq: seqs[i]!, d, accepted: acceptedFor(d, accepted) }];
  });
  const groups = group(outcomes);

  const oracle: KindOracle = async (candidates) => {
    const rs = candidates.map(resolveSequence);
    const n = await java.run(rs);
    const m = runOnModel(rs);
    return rs.map((r, i) => firstDivergence(r, n[i]!, m[i]!, options)?.kind ?? null);
  };
  const shrinkStart = performance.now();
  for (const g of groups.values()) {
    if (g.accepted !== null) continue;
    for (const o of outcomes.filter((x) => x.d.kind === g.kind).slice(0, options.examples)) {
      const small = await shrink(o.seq, g.kind, oracle);
      const rs = resolveSequence(small);
      const [n] = await java.run([rs]);
      const d = firstDivergence(rs, n!, runOnModel([rs])[0]!, options)!;
      const example: Example = { seed: o.seq.seed, original: o.d, originalLength: o.seq.ops.length, shrunk: small, divergence: d, java: javaCode(small, d) };
      g.examples.push(example);
    }
  }
  const end = performance.now();
  const acceptedCount = outcomes.filter((o) => o.accepted !== null).length;
  const result: DiffResult = {
    seed: options.replay !== null ? null : options.seed,
    maxOps: options.replay !== null ? null : options.maxOps,
    sequences: seqs.length,
    divergent: outcomes.length - acceptedCount,
    accepted: acceptedCount,
    seconds: {
      netty: Number(((nettyEnd - nettyStart) / 1000).toFixed(2)),
      model: Number(modelSeconds.toFixed(2)),
      shrink: Number(((end - shrinkStart) / 1000).toFixed(2)),
      total: Number(((end - started) / 1000).toFixed(2)),
    },
    kinds: [...groups.values()],
  };
  io.stdout.write(`netty-diff: Netty ${result.seconds.netty} s, model ${result.seconds.model} s, shrinking ${result.seconds.shrink} s\n`);
  io.stdout.write(formatKinds(result));
  if (options.json !== null) {
    fs.mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
    const divergences = outcomes.map((o) => ({ seed: o.seq.seed, ...o.d, accepted: o.accepted?.reason ?? null }));
    fs.writeFileSync(options.json, JSON.stringify({ ...result, kinds: result.kinds.map((k) => ({ ...k, accepted: k.accepted?.reason ?? null })), divergences }, null, 2) + '\n');
  }
  io.stdout.write(`${closingLine(result)}\n`);
  return result.divergent === 0 ? DiffExitCode.Agrees : DiffExitCode.Diverges;
}
