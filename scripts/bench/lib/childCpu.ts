/**
 * CPU time of a child command, every Node process of it included (npm, tsx and the node it
 * starts): each adds its own `process.cpuUsage()` (user + system, all of its threads) to a file at
 * exit, through a preload in `NODE_OPTIONS`. CPU, not wall time: the machines are shared, and a
 * process that waits for a core costs none.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** One measured run: CPU seconds over its processes, wall seconds, how many Node processes, the exit status. */
export interface ChildCpu {
  cpuSeconds: number;
  wallSeconds: number;
  processes: number;
  status: number | null;
}

/** Runs `command args` in `cwd` with its output ignored, and measures it (see the module's comment). */
export function cpuOfChild(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): ChildCpu {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-cpu-'));
  try {
    const cpuFile = path.join(work, 'cpu.txt');
    const preload = path.join(work, 'cpu-at-exit.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => { const u = process.cpuUsage(); require('fs').appendFileSync(${JSON.stringify(cpuFile)}, (u.user + u.system) + '\\n'); });\n`,
    );
    const started = process.hrtime.bigint();
    const r = spawnSync(command, args, {
      cwd,
      stdio: 'ignore',
      env: { ...env, GITHUB_ACTIONS: '', NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${preload}`.trim() },
    });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const micros = readFileSync(cpuFile, 'utf8').trim().split('\n').map(Number);
    return { cpuSeconds: micros.reduce((a, b) => a + b, 0) / 1e6, wallSeconds, processes: micros.length, status: r.status };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
