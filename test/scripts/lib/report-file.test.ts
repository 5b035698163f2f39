import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describeWriteError, writeReportFile } from '../../../scripts/lib/report-file';
import { fullDevice } from '../full-device';

const tmp = mkdtempSync(path.join(tmpdir(), 'report-file-'));

/** The error `fn` throws. */
function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
}

describe('writeReportFile', () => {
  it('writes a new file (creating its directory) and replaces an old one, leaving no temporary file', () => {
    const file = path.join(tmp, 'new', 'r.json');
    writeReportFile(file, 'first\n');
    writeReportFile(file, 'second\n');
    expect(readFileSync(file, 'utf8')).toBe('second\n');
    expect(readdirSync(path.dirname(file))).toEqual(['r.json']);
  });

  it('through a symbolic link replaces the file it points at and keeps the link', () => {
    const dir = path.join(tmp, 'linked');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'real.json'), 'old\n');
    symlinkSync('real.json', path.join(dir, 'link.json'));
    writeReportFile(path.join(dir, 'link.json'), 'new\n');
    expect(lstatSync(path.join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, 'link.json'))).toBe('real.json');
    expect(readFileSync(path.join(dir, 'real.json'), 'utf8')).toBe('new\n');
  });

  it('writes a device in place, never renaming over it: a full one fails with ENOSPC and stays a device', () => {
    const dir = mkdtempSync(path.join(tmp, 'device-'));
    const device = fullDevice(dir);
    const error = thrown(() => writeReportFile(device, 'x'.repeat(100_000)));
    expect(describeWriteError(error)).toBe('ENOSPC: no space left on device');
    expect(statSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(path.dirname(device)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a directory in the way fails with EISDIR and leaves the directory as it was', () => {
    const dir = path.join(tmp, 'is-a-dir');
    mkdirSync(dir);
    expect(describeWriteError(thrown(() => writeReportFile(dir, 'x')))).toBe('EISDIR: illegal operation on a directory');
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('describeWriteError', () => {
  it('drops the paths of Node\'s message, names a directory that cannot be made, and passes other errors through', () => {
    const rename = Object.assign(new Error("EISDIR: illegal operation on a directory, rename '/d/.r.1.tmp' -> '/d/r'"), { code: 'EISDIR', syscall: 'rename' });
    const mkdir = Object.assign(new Error("EEXIST: file already exists, mkdir '/d/a-file'"), { code: 'EEXIST', syscall: 'mkdir', path: '/d/a-file' });
    expect(describeWriteError(rename)).toBe('EISDIR: illegal operation on a directory');
    expect(describeWriteError(mkdir)).toBe('cannot create the directory `/d/a-file`: EEXIST: file already exists');
    expect(describeWriteError(new Error('plain'))).toBe('plain');
    expect(describeWriteError('text')).toBe('text');
  });
});
