/**
 * @internal Node resources a test can leave open, as the `async_hooks` init hook sees them: the
 * async resource types that stand for a long-lived handle (servers, sockets, file handles, child
 * processes, workers, zlib streams), and for each kind how to tell, at the test's end, whether it
 * is still open, and how to fix it. "Open" is read from the object that owns the handle (Node sets
 * `handle[owner_symbol]` to the `net.Server`, `net.Socket`, `ChildProcess` or zlib stream), or from
 * the handle itself (a `FileHandle`'s `fd`, a handle's `hasRef()`, which answers nothing once the
 * handle is closed), never by counting the process's handles: what the runner or an earlier test
 * holds open is never looked at.
 */
import type { CapturedStack } from '../tracking/stack';

/** The kinds of Node resource the sanitizer reports. */
export type NodeResourceKind = 'server' | 'socket' | 'file-handle' | 'child-process' | 'worker' | 'zlib';

/** How reports name each kind. */
export const RESOURCE_KIND_NAMES: Readonly<Record<NodeResourceKind, string>> = {
  server: 'server',
  socket: 'socket',
  'file-handle': 'file handle',
  'child-process': 'child process',
  worker: 'worker',
  zlib: 'zlib stream',
};

/** Every Node resource kind, in report order. */
export const NODE_RESOURCE_KINDS: readonly NodeResourceKind[] = ['server', 'socket', 'file-handle', 'child-process', 'worker', 'zlib'];

/** A Node resource created while a watched scope was current. */
export interface ResourceRecord {
  readonly kind: NodeResourceKind;
  /** Node's async resource type (`TCPSERVERWRAP`, `FILEHANDLE`, ...). */
  readonly type: string;
  readonly asyncId: number;
  /** The async id of the resource whose callback created it (a server, for an accepted socket). */
  readonly triggerId: number;
  readonly createdAt: CapturedStack;
  /** The site of the request in whose callback Node made it (an `fs/promises` `open()`, for a `FileHandle`). */
  readonly requestStack: CapturedStack | undefined;
  /**
   * The handle, held weakly: an open handle is held by Node itself (a collected handle was closed),
   * and a strong reference would keep a closed server and everything it refers to alive.
   */
  readonly handle: WeakRef<object>;
}

interface KindSpec {
  readonly kind: NodeResourceKind;
  /** How the fix reads for this type. */
  readonly hint: string;
  /** True while the handle is open; `owner` is the object Node made it for, if any. */
  isOpen(handle: NodeHandle, owner: NodeOwner | undefined): boolean;
}

interface NodeHandle {
  fd?: number;
  hasRef?: () => boolean | undefined;
}

interface NodeOwner {
  _handle?: unknown;
  destroyed?: boolean;
  _isStdio?: boolean;
  stdio?: readonly unknown[];
}

/** A handle wrap answers `hasRef()` with a boolean while open, with nothing once closed. */
function handleOpen(handle: NodeHandle): boolean {
  return typeof handle.hasRef === 'function' && typeof handle.hasRef() === 'boolean';
}

/** Open while its owner still holds it (Node drops `_handle` on close); the handle's own state without an owner. */
function ownedOpen(handle: NodeHandle, owner: NodeOwner | undefined): boolean {
  return owner !== undefined ? owner._handle === handle && owner.destroyed !== true : handleOpen(handle);
}

const SERVER: KindSpec = { kind: 'server', hint: 'call server.close() before the test ends (and await its callback)', isOpen: ownedOpen };
const STREAM_SOCKET: KindSpec = { kind: 'socket', hint: 'call socket.destroy() or end() before the test ends', isOpen: ownedOpen };
const UDP_SOCKET: KindSpec = { kind: 'socket', hint: 'call socket.close() before the test ends', isOpen: (h) => handleOpen(h) };

/** The async resource types that are resources a test must close, by type. */
const SPECS: ReadonlyMap<string, KindSpec> = new Map<string, KindSpec>([
  ['TCPSERVERWRAP', SERVER],
  ['PIPESERVERWRAP', SERVER],
  ['TCPWRAP', STREAM_SOCKET],
  ['PIPEWRAP', STREAM_SOCKET],
  ['UDPWRAP', UDP_SOCKET],
  ['FILEHANDLE', { kind: 'file-handle', hint: 'await fileHandle.close() before the test ends', isOpen: (h) => typeof h.fd === 'number' && h.fd >= 0 }],
  ['PROCESSWRAP', { kind: 'child-process', hint: 'kill the child process or wait for its exit before the test ends', isOpen: ownedOpen }],
  ['WORKER', { kind: 'worker', hint: 'call worker.terminate() (or let it exit) before the test ends', isOpen: (h) => handleOpen(h) }],
  ['ZLIB', { kind: 'zlib', hint: 'end the stream (stream.end()) or call stream.close() before the test ends', isOpen: ownedOpen }],
]);

/** The kind of a resource type, or undefined when the type is not a resource the sanitizer reports. */
export function resourceKindOf(type: string): NodeResourceKind | undefined {
  return SPECS.get(type)?.kind;
}

/** The fix hint of a record. */
export function resourceHint(r: ResourceRecord): string {
  return SPECS.get(r.type)!.hint;
}

let ownerSymbol: symbol | null = null;

/** The object Node made the handle for (`handle[owner_symbol]`), if it set one. */
function ownerOf(handle: object): NodeOwner | undefined {
  if (ownerSymbol === null) {
    // Node's `owner_symbol` is not exported; it is the symbol of that description on any owned handle.
    ownerSymbol = Object.getOwnPropertySymbols(handle).find((s) => s.description === 'owner_symbol') ?? null;
    if (ownerSymbol === null) return undefined;
  }
  const owner = (handle as Record<symbol, unknown>)[ownerSymbol];
  return typeof owner === 'object' && owner !== null ? (owner as NodeOwner) : undefined;
}

/** True while the resource is open (a collected handle was closed). */
export function isResourceOpen(r: ResourceRecord): boolean {
  const handle = r.handle.deref();
  if (handle === undefined) return false;
  return SPECS.get(r.type)!.isOpen(handle as NodeHandle, ownerOf(handle));
}

/**
 * The records of `list` still open and the test's to close: a socket of the process's own stdio
 * (made lazily when a test first logs) or without a `net.Socket` owner (a child's IPC channel) is
 * Node's, and the stdio pipes of a child process in the list are reported with the child.
 */
export function openResources(list: readonly ResourceRecord[]): ResourceRecord[] {
  const open = list.filter(isResourceOpen);
  if (open.length === 0) return open;
  const childStdio = new Set<unknown>();
  for (const r of list) {
    if (r.kind !== 'child-process') continue;
    const handle = r.handle.deref();
    const owner = handle !== undefined ? ownerOf(handle) : undefined;
    for (const s of owner?.stdio ?? []) if (s !== null) childStdio.add(s);
  }
  return open.filter((r) => {
    if (r.kind !== 'socket' || r.type === 'UDPWRAP') return true;
    const handle = r.handle.deref() as NodeHandle | undefined;
    const owner = handle !== undefined ? ownerOf(handle) : undefined;
    if (owner === undefined || owner._isStdio === true || childStdio.has(owner)) return false;
    return !(typeof handle?.fd === 'number' && handle.fd >= 0 && handle.fd <= 2);
  });
}
