/** @internal Netty's leak text (`ResourceLeakDetector.reportTracedLeak` / `reportUntracedLeak`). */
import type { LeakTracker, TraceRecord } from './LeakTracker';
import { notRecordedText, operationCounts } from './report';
import { formatFrames, userFrames } from './stack';

const WIKI = 'See https://netty.io/wiki/reference-counted-objects.html for more information.';

/** One record in Netty's `#n:` shape. */
function formatRecord(r: TraceRecord): string {
  const hint = r.hint !== undefined ? `\tHint: ${r.hint}\n` : '';
  return `${hint}\tOperation: ${r.kind} (refCnt: ${r.refCnt})\n${formatFrames(userFrames(r.stack))}`;
}

/** The report Netty prints for a buffer collected while unreleased. */
export function formatNettyLeak(t: LeakTracker): string {
  const head = `LEAK: ByteBuf.release() was not called before it's garbage-collected. ${WIKI}`;
  const about = `Buffer #${t.id} (${t.kind}, ${t.capacity} bytes, refCnt ${t.refCnt})`;
  if (t.records === null && t.createdAt === null) {
    return `${head}\n${about}\nEnable advanced leak reporting to find out where the leak occurred. ` +
      `To enable advanced leak reporting, set BYTEBUF_LEAK_DETECTION_LEVEL=advanced ` +
      `(Netty: -Dio.netty.leakDetection.level=advanced).`;
  }
  const lines = [head, about, 'Recent access records: '];
  const records = (t.records ?? []).slice().reverse();
  records.forEach((r, i) => lines.push(`#${i + 1}:\n${formatRecord(r)}`));
  lines.push(`Created at:\n${formatFrames(userFrames(t.createdAt))}`);
  if (t.notRecorded !== null) {
    // Shaped as Netty's note on discarded records: a line after the creation record.
    lines.push(`: ${notRecordedText(operationCounts(t.notRecorded))}`);
  }
  if (t.droppedRecords > 0) {
    lines.push(
      `: ${t.droppedRecords} leak records were discarded because the leak record count is targeted to ` +
        `the target records setting. Use BYTEBUF_LEAK_DETECTION_TARGET_RECORDS (Netty: ` +
        `io.netty.leakDetection.targetRecords) to increase the limit.`,
    );
  }
  return lines.join('\n');
}
