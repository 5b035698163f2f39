// The two lines the harness asks for: its setup file and its reporter.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    setupFiles: ['bytebuf-leak-harness/vitest/setup'],
    reporters: ['default', 'bytebuf-leak-harness/vitest/reporter'],
  },
});
