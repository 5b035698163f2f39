import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IllegalStateException } from '../../harness/errors';
import { BUILTIN_SCENARIO_DIR } from '../../scenarios/engine';
import { findPackageRoot, PACKAGE_ROOT } from '../../scenarios/engine/packageRoot';
import { SCHEMA_FILE } from '../../scenarios/engine/schema';

const ROOT = path.resolve(__dirname, '..', '..');

describe('findPackageRoot', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'package-root-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('from the sources: the repository root; the built-in cases and the schema are found under it', () => {
    expect(PACKAGE_ROOT).toBe(ROOT);
    expect(BUILTIN_SCENARIO_DIR).toBe(path.join(ROOT, 'scenarios', 'cases'));
    expect(SCHEMA_FILE).toBe(path.join(ROOT, 'scenarios', 'schema', 'scenario.schema.json'));
  });

  it('from a compiled layout (dist/scenarios/engine), past a package.json of another name', () => {
    const pkg = path.join(tmp, 'node_modules', 'bytebuf-leak-harness');
    const engine = path.join(pkg, 'dist', 'scenarios', 'engine');
    mkdirSync(engine, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), '{ "name": "bytebuf-leak-harness" }');
    writeFileSync(path.join(pkg, 'dist', 'package.json'), '{ "name": "something-else" }');
    writeFileSync(path.join(tmp, 'package.json'), '{ "name": "the-users-project" }');
    expect(findPackageRoot(engine)).toBe(pkg);
  });

  it('with no such package.json above: an IllegalStateException naming the folder', () => {
    const lone = path.join(tmp, 'lone');
    mkdirSync(lone);
    writeFileSync(path.join(tmp, 'package.json'), 'not json');
    expect(() => findPackageRoot(lone)).toThrow(new IllegalStateException(`Expected a package.json named "bytebuf-leak-harness" in ${lone} or a folder above it, got none`));
  });
});
