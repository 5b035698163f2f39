/**
 * The channel errors, under Ambry's and Java's names, each with a stable `name` and `code`.
 * `IllegalArgumentException` and `IllegalStateException` are the harness's (Java's `java.lang`).
 * @packageDocumentation
 */
import { HarnessError } from '../harness';

export { IllegalArgumentException, IllegalStateException } from '../harness';

/** Java's `java.nio.channels.ClosedChannelException`: the channel is closed. */
export class ClosedChannelException extends HarnessError {
  override readonly name = 'ClosedChannelException';
  readonly code = 'ERR_CLOSED_CHANNEL';
  constructor(message = 'Channel is closed') {
    super(message);
  }
}

/** Ambry's `RestServiceErrorCode` values used here. */
export type RestServiceErrorCode = 'RequestTooLarge';

/** Ambry's `RestServiceException`; `errorCode` says which (here only `RequestTooLarge`). */
export class RestServiceException extends HarnessError {
  override readonly name = 'RestServiceException';
  readonly code = 'ERR_REST_SERVICE';
  readonly errorCode: RestServiceErrorCode;
  constructor(message: string, errorCode: RestServiceErrorCode) {
    super(message);
    this.errorCode = errorCode;
  }
}
