import { wildcardMismatch } from './wildcard';

describe('wildcardMismatch', () => {
  it('matches literal text exactly', () => {
    expect(wildcardMismatch('a\nb', 'a\nb')).toBeNull();
    expect(wildcardMismatch('a\nb', 'a\nc')).not.toBeNull();
    expect(wildcardMismatch('a\nbc', 'a\nb')).not.toBeNull();
  });

  it('[WILDCARD] matches any text, across lines, anchored at both ends', () => {
    expect(wildcardMismatch('at x (a.ts:1:2)\nend', 'at x ([WILDCARD])\nend')).toBeNull();
    expect(wildcardMismatch('head\nline 1\nline 2\ntail', 'head\n[WILDCARD]tail')).toBeNull();
    expect(wildcardMismatch('head tail extra', 'head[WILDCARD]tail')).toMatch(/^expected part 2 of 2/);
    expect(wildcardMismatch('xhead tail', 'head[WILDCARD]tail')).toMatch(/^expected part 1 of 2/);
    expect(wildcardMismatch('ab', 'ab[WILDCARD]b')).toMatch(/^expected part 2 of 2/);
  });
});
