/**
 * Runs `checksum` on a full frame and on an empty one, each in a ledger scope of its own, and
 * checks the scopes with `LeakScope.check()`: the full frame's passes; the empty frame's throws a
 * `LeakError` whose report holds exactly one 16-byte heap buffer made at `src/frames.ts:15`.
 * Prints the report; exits 1 on any mismatch.
 */
import { LeakDetection, LeakError, formatLeakReport, ledger } from 'bytebuf-leak-harness';
import type { LeakReport, LeakScope } from 'bytebuf-leak-harness';
import { checksum } from './frames.js';

/** Where the leaked buffer is made (the `Unpooled.buffer` line of frames.ts). */
const LEAK_SITE = 'payloadOf (src/frames.ts:15:';

/** A 16-byte frame whose prefix announces `payloadLength` bytes. */
function frameOf(payloadLength: number): Uint8Array {
  const bytes = new Uint8Array(16).fill(3);
  bytes[0] = 0;
  bytes[1] = payloadLength;
  return bytes;
}

/** Runs `checksum` in a new scope; returns the sum and the scope's `check()` failure, if any. */
function checked(name: string, frame: Uint8Array): { sum: number; leak: LeakReport | undefined } {
  const scope: LeakScope = ledger.openScope(name);
  const sum = ledger.runIn(scope, () => checksum(frame));
  try {
    scope.check();
    return { sum, leak: undefined };
  } catch (error) {
    if (error instanceof LeakError) return { sum, leak: error.report };
    throw error;
  }
}

LeakDetection.configure({ level: 'paranoid', exactLedger: true });
const full = checked('full frame', frameOf(14));
const empty = checked('empty frame', frameOf(0));
const problems: string[] = [];
console.log(`full frame: checksum ${full.sum}, ${full.leak === undefined ? 'clean' : full.leak.summary}`);
if (full.sum !== 42) problems.push(`expected the full frame's checksum 42, got ${full.sum}`);
if (full.leak !== undefined) problems.push(`the full frame leaked: ${full.leak.summary}`);
if (empty.leak === undefined) {
  problems.push('the empty frame did not leak');
} else {
  console.log(`empty frame: checksum ${empty.sum}\n${formatLeakReport(empty.leak)}`);
  if (empty.leak.leakCount !== 1 || empty.leak.leakBytes !== 16) problems.push(`expected 1 leak of 16 bytes, got: ${empty.leak.summary}`);
  const site = empty.leak.groups[0]?.site ?? '<none>';
  if (!site.startsWith(LEAK_SITE)) problems.push(`expected the site ${LEAK_SITE}...), got ${site}`);
}
for (const p of problems) console.error(`check: ${p}`);
console.log(problems.length === 0 ? 'check: ok' : `check: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
