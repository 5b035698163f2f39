/**
 * The proof cases' steps: weak references, forced garbage collection and the GC path's `LEAK:`
 * reports.
 * @packageDocumentation
 */
import { collectGarbage } from '../../../harness';
import type { CollectGarbageStep, ExpectGcLeaksStep, ExpectWeakRefStep, WeakRefStep } from '../data';
import { StepError, type ReplayContext } from '../context';
import { nextTurn } from '../turns';

export function weakRef(ctx: ReplayContext, step: WeakRefStep): void {
  const target = ctx.get(step.of);
  if (typeof target !== 'object' || target === null) throw new StepError(`variable "${step.of}" holds no object to refer to weakly`);
  ctx.define(step.as, 'weakRef', new WeakRef(target));
}

export async function collectGarbageStep(ctx: ReplayContext, _step: CollectGarbageStep): Promise<void> {
  // A WeakRef's target is kept until the current job ends: let it end before collecting.
  await nextTurn();
  // Only this scenario's buffers: the reports of other work stay pending for their own caller.
  ctx.gcLeaks.push(...(await collectGarbage({ scope: ctx.scope })));
}

export function expectWeakRef(ctx: ReplayContext, step: ExpectWeakRefStep): void {
  const alive = (ctx.get(step.of) as WeakRef<object>).deref() !== undefined;
  if (alive !== step.alive) {
    ctx.fail(`expected the object of weak reference "${step.of}" to be ${step.alive ? 'alive' : 'collected'}, got ${alive ? 'alive' : 'collected'}`);
  }
}

export function expectGcLeaks(ctx: ReplayContext, step: ExpectGcLeaksStep): void {
  ctx.expectEqual('GC-path leak reports:', step.count, ctx.gcLeaks.length);
  if (step.contains === undefined) return;
  ctx.gcLeaks.forEach((leak, i) => {
    if (!leak.text.includes(step.contains!)) ctx.fail(`expected GC-path leak report ${i} to contain ${JSON.stringify(step.contains)}, got:\n${leak.text}`);
  });
}
