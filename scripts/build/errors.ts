/**
 * The build's one error: what is wrong with the sources, the table or package.json, in one message.
 * @packageDocumentation
 */
import { HarnessError } from '../../harness/errors';

/** The build cannot go on (a type error, a public type that names an internal module, a stale `exports` map). */
export class BuildError extends HarnessError {
  override readonly name = 'BuildError';
  readonly code = 'ERR_BUILD';
}
