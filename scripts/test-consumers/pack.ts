/**
 * The tarball the apps install: `npm run build`, then `npm pack` of the repository into a
 * temporary folder, exactly what a user would get from the registry.
 * @packageDocumentation
 */
import * as path from 'node:path';
import { ConsumerPackError } from './errors';
import { runStep } from './step';

/** The build and the pack get this long each (2 slow cores). */
const PACK_TIMEOUT_MS = 180_000;

/**
 * Builds the package in `repoDir` and packs it into `outDir`; returns the tarball's path. The
 * pack skips the lifecycle scripts: `prepack` would build a second time.
 */
export async function buildAndPack(repoDir: string, outDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const build = await runStep('npm', ['run', 'build'], repoDir, env, PACK_TIMEOUT_MS);
  if (build.code !== 0) throw new ConsumerPackError(`${build.command} failed (exit ${build.code ?? 'by a signal'})`, build.output);
  const pack = await runStep('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', outDir], repoDir, env, PACK_TIMEOUT_MS);
  if (pack.code !== 0) throw new ConsumerPackError(`${pack.command} failed (exit ${pack.code ?? 'by a signal'})`, pack.output);
  let filename: unknown;
  try {
    filename = (JSON.parse(pack.stdout) as Array<{ filename?: unknown }>)[0]?.filename;
  } catch {
    filename = undefined;
  }
  if (typeof filename !== 'string') throw new ConsumerPackError(`${pack.command} printed no tarball name`, pack.output);
  return path.join(outDir, filename);
}
