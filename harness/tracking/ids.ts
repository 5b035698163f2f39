import { sharedPart } from './sharedState';

/** @internal The one id sequence of the ledger, shared by trackers and checkpoints (and by every copy of the harness). */
export const ids: { last: number } = sharedPart('ids', () => ({ last: 0 }));
