// Requiring the vitest setup file throws (see setup.cjs): it has nothing to declare.
export {};
