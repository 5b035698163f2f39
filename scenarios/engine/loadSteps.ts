/**
 * Loads `--steps` modules: a module whose default export is `defineSteps({ ... })`. A module that
 * cannot be loaded, exports the wrong shape, or whose JSON Schemas do not compile is one error
 * line naming it; the step types of the other modules load on.
 * @packageDocumentation
 */
import { schemaStepTypes, stepSchemaFault } from './schema';
import { defaultExportOf, describeError, UserModuleFault } from './userModules';
import { stepTypesFault, type StepTypes } from './userSteps';

/**
 * The step types of every module, merged, and one line per fault (`steps <module>: <what is
 * wrong>`). A name a second module defines again is a fault of that module.
 */
export async function loadStepTypes(specs: readonly string[]): Promise<{ steps: StepTypes; errors: string[] }> {
  const steps: Record<string, StepTypes[string]> = {};
  const from = new Map<string, string>();
  const errors: string[] = [];
  for (const spec of specs) {
    try {
      const value = await defaultExportOf(spec, 'steps module', 'export default defineSteps({ name: { properties, run } })');
      const fault = stepTypesFault(value, schemaStepTypes());
      if (fault !== undefined) throw new UserModuleFault(`the default export is not a set of step types: ${fault}`);
      const types = value as StepTypes;
      const again = Object.keys(types).find((name) => from.has(name));
      if (again !== undefined) throw new UserModuleFault(`step type "${again}" is already defined by ${from.get(again)!}`);
      const schemaFault = stepSchemaFault(types);
      if (schemaFault !== undefined) throw new UserModuleFault(`a step type's JSON Schema does not compile: ${schemaFault}`);
      for (const [name, def] of Object.entries(types)) {
        steps[name] = def;
        from.set(name, spec);
      }
    } catch (e) {
      errors.push(`steps ${spec}: ${e instanceof UserModuleFault ? e.message : describeError(e)}`);
    }
  }
  return { steps, errors };
}
