/** defineSteps' checks: each wrong shape is a StepTypesError naming the step type and field. */
import { defineSteps, StepTypesError } from '../../scenarios/engine';

describe('defineSteps', () => {
  const run = (): undefined => undefined;
  it.each([
    [{}, 'expected an object of step types made by defineSteps({ name: { properties, run } })'],
    [{ 'my-step': { run } }, 'my-step: expected a step type name of letters and digits, starting with a letter'],
    [{ myStep: {} }, 'myStep.run: expected a function (api, step) => void | Promise<void>'],
    [{ myStep: { properties: { repeat: { type: 'integer' } }, run } }, 'myStep.properties.repeat: every step has this property already'],
    [{ myStep: { properties: { of: { type: 'string' } }, required: ['off'], run } }, 'myStep.required: expected names among its properties (of)'],
    [{ myStep: { properties: { of: { type: 'string' } }, uses: [{ field: 'as' }], run } }, "myStep.uses[0].field: expected one of the step's properties (of)"],
    [{ myStep: { properties: { as: { type: 'string' } }, defines: [{ field: 'as', kind: 'Buffer' }], run } }, 'myStep.defines[0]: expected kinds among ByteBuffer, ByteBuf, bytes, stream, weakRef, write, error'],
  ])('rejects %j', (types, message) => {
    const make = (): unknown => defineSteps(types as never);
    expect(make).toThrow(StepTypesError);
    expect(make).toThrow(`defineSteps: ${message}`);
  });

  it('returns a valid definition as it is', () => {
    const types = { myStep: { properties: { of: { type: 'string' } }, required: ['of'], uses: [{ field: 'of', kinds: ['ByteBuf' as const] }], run } };
    expect(defineSteps(types)).toBe(types);
  });
});
