/**
 * The `call` step: a built-in function of the engine, or a named export of a module of the user's
 * (loaded relative to the scenario file), called with `source` and `args`, awaited.
 * @packageDocumentation
 */
import { ByteBuf, type ByteBuffer } from '../../../harness';
import type { CallStep } from '../data';
import { StepError, type ReplayContext } from '../context';
import { BUILTIN_FUNCTIONS, type BuiltinName } from '../builtins';
import { callableOf, kindOfValue } from '../callModules';
import { UserModuleFault } from '../userModules';

export async function call(ctx: ReplayContext, step: CallStep): Promise<void> {
  if (step.module === undefined) {
    const fn = BUILTIN_FUNCTIONS[step.function as BuiltinName] as ((source: ByteBuffer) => void) | undefined;
    if (fn === undefined) throw new StepError(`no built-in function "${step.function}"`);
    fn(ctx.get(step.source ?? '') as ByteBuffer);
    return;
  }
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = await callableOf(ctx.scenario.file, step.module, step.function);
  } catch (e) {
    if (e instanceof UserModuleFault) throw new StepError(e.message);
    throw e;
  }
  const args = [...(step.source !== undefined ? [ctx.get(step.source)] : []), ...(step.args ?? [])];
  const result = await fn(...args);
  if (step.as === undefined) return;
  if (!(result instanceof ByteBuf)) {
    throw new StepError(`function "${step.function}" of module "${step.module}" returned ${result === undefined ? 'nothing' : kindOfValue(result)}, but "as" ("${step.as}") names a ByteBuf`);
  }
  ctx.define(step.as, 'ByteBuf', result);
}
