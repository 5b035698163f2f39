/**
 * @internal What a report says about a resource left open: its kind, a label, the fix, and its
 * creation site in the user's code, the same for Node resources, pending operations and
 * `track()`ed resources.
 */
import type { LeakTracker } from '../tracking/LeakTracker';
import { projectFrames, userFrames, type StackFrameInfo } from '../tracking/stack';
import { RESOURCE_KIND_NAMES, resourceHint, type ResourceRecord } from './nodeResources';
import { PENDING_OP_HINT, type RequestRecord } from './pendingOps';

/** Where an open resource comes from. */
export type ResourceSource = 'node' | 'op' | 'tracked';

/** A resource left open (or an operation left pending), ready to print. */
export interface OpenResourceInfo {
  /** The kind a per-kind opt-out names (`server`, `op`, a `track()` kind). */
  kind: string;
  source: ResourceSource;
  /** `server (TCPSERVERWRAP)`, `fs/promises operation (FSREQPROMISE)`, `tracked resource 'db pool'`. */
  label: string;
  /** The fix, as the message says it. */
  hint: string;
  /** Bytes it holds (a `track()`ed resource's; 0 for the others). */
  bytes: number;
  /** Where it was created (user frames, innermost first). */
  createdAt: StackFrameInfo[];
}

/** The kind per-kind opt-outs name pending operations by. */
export const PENDING_OP_KIND = 'op';

/**
 * A Node resource left open. Node makes some handles from its own callbacks (a server's accepted
 * socket): without a frame of the user's, the site is that of the resource whose callback made it.
 */
export function describeNodeResource(r: ResourceRecord, all: readonly ResourceRecord[]): OpenResourceInfo {
  let frames = projectFrames(r.createdAt);
  let accepted = '';
  if (frames.length === 0 && r.requestStack !== undefined) frames = projectFrames(r.requestStack);
  if (frames.length === 0) {
    const parent = all.find((p) => p.asyncId === r.triggerId);
    if (parent !== undefined) {
      frames = projectFrames(parent.createdAt);
      accepted = `, made by the ${RESOURCE_KIND_NAMES[parent.kind]} created at the site below`;
    }
    if (frames.length === 0) frames = userFrames(r.createdAt);
  }
  return { kind: r.kind, source: 'node', label: `${RESOURCE_KIND_NAMES[r.kind]} (${r.type}${accepted})`, hint: resourceHint(r), bytes: 0, createdAt: frames };
}

/** An operation still in flight when the test ended; `name` from `promiseOpName`. */
export function describePendingOp(r: RequestRecord, name: string): OpenResourceInfo {
  return { kind: PENDING_OP_KIND, source: 'op', label: `${name} (${r.type})`, hint: PENDING_OP_HINT, bytes: 0, createdAt: userFrames(r.createdAt) };
}

/** A `track()`ed resource not released. */
export function describeTracked(t: LeakTracker): OpenResourceInfo {
  const info = t.resource!;
  return {
    kind: info.kind,
    source: 'tracked',
    label: `tracked resource '${info.kind}'`,
    hint: `call ${info.release}`,
    bytes: t.capacity,
    createdAt: userFrames(t.createdAt),
  };
}
