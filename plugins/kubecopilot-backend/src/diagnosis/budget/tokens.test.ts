import { estimateTokens } from './tokens';

describe('estimateTokens', () => {
  it.each<[string, number]>([
    ['', 0],
    ['   \n\t ', 0],
    ['Connection refused', 2 + 2],
    // A long identifier splits into several tokens.
    ['ConfigServletWebServerApplicationContext', 7],
    // Digits go by three; each symbol costs one.
    // 2025 | - 01 - 14 | T | 09 : 11 : 06 . 903 | Z
    ['2025-01-14T09:11:06.903Z', 2 + 4 + 1 + 7 + 1],
    ['{"a":1}', 1 + 1 + 1 + 1 + 1 + 1 + 1],
  ])('%j costs %d', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });

  it('adds up over lines, so a line can be priced on its own', () => {
    const lines = [
      'alpha beta',
      'Caused by: java.net.ConnectException: Connection refused',
      '  at x.y(Z.java:12)',
    ];
    expect(estimateTokens(lines.join('\n'))).toBe(
      lines.reduce((n, l) => n + estimateTokens(l), 0),
    );
  });
});
