// The leak matchers on vitest's `expect`, for ESM test files: appended by the build to this entry's
// generated `index.d.mts`. The same augmentation in `index.ts` serves CommonJS-mode type-checks,
// where `vitest` resolves to another declaration file.
import type { LeakMatcherSignatures } from '../sanitizer/matcherTypes.js';

declare module 'vitest' {
  // Same type parameters as vitest's own declarations, as merging requires.
  interface Assertion<T = any> extends LeakMatcherSignatures<void> {}
  interface AsymmetricMatchersContaining extends LeakMatcherSignatures<unknown> {}
}
