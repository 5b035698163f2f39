/**
 * Errors of the consumer-apps runner, each with a stable `name` and `code`. The entry file turns
 * them into one line and an exit code.
 * @packageDocumentation
 */
import { HarnessError } from '../../harness';

/** A bad command line (unknown option, missing value, unknown app). Exit code 2. */
export class ConsumerUsageError extends HarnessError {
  override readonly name = 'ConsumerUsageError';
  readonly code = 'ERR_CONSUMERS_USAGE';
}

/** An app's `expect.json` is missing, unreadable or not of the expected shape. */
export class ConsumerExpectationError extends HarnessError {
  override readonly name = 'ConsumerExpectationError';
  readonly code = 'ERR_CONSUMER_EXPECTATION';
}

/** `npm run build` or `npm pack` failed: no app can run. Carries the command's output. */
export class ConsumerPackError extends HarnessError {
  override readonly name = 'ConsumerPackError';
  readonly code = 'ERR_CONSUMERS_PACK';
  readonly output: string;
  constructor(message: string, output: string) {
    super(message);
    this.output = output;
  }
}
