/** @internal The one id sequence of the ledger, shared by trackers and checkpoints. */
export const ids = { last: 0 };
