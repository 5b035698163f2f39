/**
 * Leak records: what the sanitizer found, written out of band (one JSON line each, one
 * file per worker process) to the folder the leak reporter named in `BYTEBUF_JEST_LEAK_RECORDS_DIR`.
 * The reporter reads them after the run, so a leak counts even where the test's own result does
 * not show it (report mode, leaks after a test ended, a test runner that drops errors).
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SanitizerCheck } from './options';
import type { FindingTime, SanitizerOutcome, Suppressed } from './outcome';

/** A leak site in a record: the group's site and what leaked there. */
export interface RecordSite {
  site: string;
  count: number;
  bytes: number;
}

/** The findings of one test (written when it leaked or opted out of a check). */
export interface TestLeakRecord {
  type: 'test';
  /** Test file, relative to the working directory. */
  file: string;
  test: string;
  when: FindingTime;
  /** True when an enabled check found something: the test counts as leaking. */
  leaked: boolean;
  leaks: number;
  bytes: number;
  misuses: number;
  timers: number;
  /** Resources left open and operations left pending (absent in records of older versions: 0). */
  resources?: number;
  sites: RecordSite[];
  optOuts: { reason: string; checks: SanitizerCheck[]; where: string }[];
  suppressed: Suppressed;
}

/** One per test file the sanitizer ran in. */
export interface FileRecord {
  type: 'file';
  file: string;
  testsChecked: number;
}

/** A line of a records file. */
export type LeakRecord = TestLeakRecord | FileRecord;

/** The record of an outcome. */
export function recordOf(file: string, o: SanitizerOutcome): TestLeakRecord {
  return {
    type: 'test',
    file,
    test: o.testName,
    when: o.when,
    leaked: o.verdict === 'leaked',
    leaks: o.report.leakCount,
    bytes: o.report.leakBytes,
    misuses: o.report.misuses.length,
    timers: o.timers.length,
    resources: o.resources.length,
    sites: o.report.groups.map((g) => ({ site: g.site, count: g.count, bytes: g.bytes })),
    // Late findings repeat the test's opt-outs; they were recorded with the test already.
    optOuts: o.when === 'after-test' ? [] : o.optOuts.map((x) => ({ reason: x.reason, checks: [...x.checks], where: x.where })),
    suppressed: o.when === 'after-test' ? { leaks: 0, misuses: 0, timers: 0, resources: 0 } : { resources: 0, ...o.suppressed },
  };
}

/** Appends records to this process's file in `dir` (synchronous: a worker may exit right after). */
export function writeRecords(dir: string, records: readonly LeakRecord[]): void {
  if (records.length === 0) return;
  const file = path.join(dir, `records-${process.pid}.jsonl`);
  appendFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** Reads every record in `dir`, in a stable order (file name, then line). */
export function readRecords(dir: string): LeakRecord[] {
  const out: LeakRecord[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      if (line.trim() !== '') out.push(JSON.parse(line) as LeakRecord);
    }
  }
  return out;
}
