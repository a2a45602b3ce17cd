/** A redacted value and how many secrets were masked in it. */
export interface RedactionResult<T> {
  value: T;
  redactions: number;
}

export const REDACTED = '[REDACTED]';
const REDACTED_KEY = '[REDACTED PRIVATE KEY]';

const PEM_NAME = '[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?';
/** A whole private key block, within one string (real or escaped newlines). */
const PEM_BLOCK = new RegExp(
  `-----BEGIN (${PEM_NAME})-----[\\s\\S]*?-----END \\1-----`,
  'g',
);
/** A BEGIN with no END in the same string: everything after it is key material. */
const PEM_OPEN = new RegExp(`-----BEGIN ${PEM_NAME}-----[\\s\\S]*$`);
const PEM_BEGIN = new RegExp(`-----BEGIN ${PEM_NAME}-----`);
const PEM_END = new RegExp(`-----END ${PEM_NAME}-----`);

/**
 * A line that is nothing but a long base64 run: the body of a key block seen
 * without its BEGIN/END (one line at a time, or cut by tailLines). Such lines
 * carry no diagnostic value, so masking a harmless one costs nothing.
 */
const BASE64_RUN =
  /^(\S*\d{4}-\d{2}-\d{2}[T ][\d:.,]+Z?\s+)?(\s*)[A-Za-z0-9+/]{40,}={0,2}\s*$/;
const REDACTED_BASE64 = '[REDACTED BASE64]';

/** Header, payload, signature (may be empty for alg "none"), base64url. */
const JWT = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

/** `Authorization: Basic dXNlcjpwYXNz`, `Proxy-Authorization=Bearer x` — scheme kept. */
const AUTH_HEADER =
  /\b((?:Proxy-)?Authorization["']?[ \t]*[:=][ \t]*["']?)(?:(Basic|Bearer|Token|Digest|Negotiate)[ \t]+)?([^\s"',;]+)/gi;

const BEARER = /\b(Bearer)([ \t]+)([A-Za-z0-9._~+/-]+=*)/gi;

/** AWS access key ids: long-term (AKIA) and temporary (ASIA). */
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;

/** `scheme://user:password@host` → the user stays, the password goes. */
const URL_CREDENTIALS =
  /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#]+):([^\s@/?#]+)@/gi;

/** Token formats recognisable on their own, wherever they appear. */
const KNOWN_TOKENS =
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35})/g;

/**
 * Key names whose value is a secret. The key must END with one of these, so
 * `token_count=3`, `max_tokens=100` or `secretName: tls` are left alone.
 */
const SECRET_KEY =
  '[\\w.-]*?(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?|[_.-]pass)';

/** `"password": "x"`, `'api_key': 123` — JSON-ish, quoted key. */
const QUOTED_PAIR = new RegExp(
  `(["'])(${SECRET_KEY})\\1([ \\t]*:[ \\t]*)(?:"((?:\\\\.|[^"\\\\])*)"|'((?:\\\\.|[^'\\\\])*)'|([^\\s,}\\]]+))`,
  'gi',
);

/** `password=x`, `db_pass: y`, `--client-secret=z`, `?token=abc&…` — unquoted key. */
const PAIR = new RegExp(
  `(^|[^\\w.-])(${SECRET_KEY})([ \\t]*[=:][ \\t]*)(?:"((?:\\\\.|[^"\\\\])*)"|'((?:\\\\.|[^'\\\\])*)'|([^\\s,;&"'}\\])]+))`,
  'gim',
);

/**
 * Bare `token:`/`secret:` also start prose ("failed to refresh token: 401",
 * "secret: not found"); after a colon they only count when the value looks
 * like a credential (long, or letters and digits mixed).
 */
function looksLikeCredential(v: string): boolean {
  return (
    v.length >= 20 || (v.length >= 8 && /\d/.test(v) && /[A-Za-z]/.test(v))
  );
}

/** The quote the value was written with, so the masked value keeps its syntax. */
function quoteOf(
  doubleQuoted: string | undefined,
  singleQuoted: string | undefined,
): string {
  if (doubleQuoted !== undefined) return '"';
  return singleQuoted !== undefined ? "'" : '';
}

function isRedacted(v: string | undefined): boolean {
  return !!v && v.startsWith('[REDACTED');
}

/**
 * Masks secrets inside free text: a log line, an event message, an env value,
 * a command-line argument, a ConfigMap value. Pure; counts every mask.
 */
export function redactText(text: string): RedactionResult<string> {
  let n = 0;
  let out = text;
  const sub = (re: RegExp, fn: (...m: string[]) => string) => {
    out = out.replace(re, (...m: string[]) => {
      const replaced = fn(...m);
      if (replaced !== m[0]) n += 1;
      return replaced;
    });
  };

  // Order matters: whole blocks and self-describing tokens first, so the
  // key=value rules below see `[REDACTED…]` and leave it alone.
  sub(PEM_BLOCK, () => REDACTED_KEY);
  sub(PEM_OPEN, () => REDACTED_KEY);
  sub(BASE64_RUN, (m, ts, indent) =>
    /\d/.test(m) && /[a-z]/.test(m) && /[A-Z]/.test(m)
      ? `${ts ?? ''}${indent}${REDACTED_BASE64}`
      : m,
  );
  sub(JWT, () => '[REDACTED JWT]');
  sub(AUTH_HEADER, (m, head, scheme, cred) =>
    isRedacted(cred) ? m : `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  );
  // "Bearer token" in prose is not a credential; a real one is long or mixed.
  sub(BEARER, (m, word, space, tok) =>
    tok.length >= 16 || /[\d._~+/=-]/.test(tok)
      ? `${word}${space}${REDACTED}`
      : m,
  );
  sub(AWS_KEY_ID, () => '[REDACTED AWS KEY]');
  sub(URL_CREDENTIALS, (m, scheme, user, pass) =>
    isRedacted(pass) ? m : `${scheme}${user}:${REDACTED}@`,
  );
  sub(KNOWN_TOKENS, () => '[REDACTED TOKEN]');
  sub(QUOTED_PAIR, (m, q, key, sep, dq, sq, bare) => {
    const v = dq ?? sq ?? bare ?? '';
    if (v === '' || isRedacted(v)) return m;
    const quote = quoteOf(dq, sq);
    return `${q}${key}${q}${sep}${quote}${REDACTED}${quote}`;
  });
  sub(PAIR, (m, pre, key, sep, dq, sq, bare) => {
    const v = dq ?? sq ?? bare ?? '';
    if (v === '' || isRedacted(v)) return m;
    if (
      /^(token|secret)$/i.test(key) &&
      sep.includes(':') &&
      !looksLikeCredential(v)
    )
      return m;
    const quote = quoteOf(dq, sq);
    return `${pre}${key}${sep}${quote}${REDACTED}${quote}`;
  });
  return { value: out, redactions: n };
}

/** One log line. A PEM block spanning lines needs {@link redactLogLines}. */
export function redactLogLine(line: string): RedactionResult<string> {
  return redactText(line);
}

const TIMESTAMP_PREFIX = /^\S*\d{4}-\d{2}-\d{2}[T ][\d:.,]+Z?\s+/;
const BASE64_LINE = /^[A-Za-z0-9+/=]{16,}$/;

/**
 * A container log, line by line. A private key printed across lines is
 * replaced as a whole block by one `[REDACTED PRIVATE KEY]` line, including
 * a block whose BEGIN line was cut off by `tailLines`/`limitBytes` (the
 * key lines before an orphan END are dropped) or whose END never came.
 */
export function redactLogLines(lines: string[]): RedactionResult<string[]> {
  const out: string[] = [];
  let n = 0;
  let inKey = false;
  for (const line of lines) {
    if (inKey) {
      const end = PEM_END.exec(line);
      if (!end) continue;
      inKey = false;
      const rest = line.slice(end.index + end[0].length);
      if (rest.trim()) {
        const r = redactText(rest);
        n += r.redactions;
        out.push(r.value);
      }
      continue;
    }
    const begin = PEM_BEGIN.exec(line);
    const end = PEM_END.exec(line);
    if (begin && !(end && end.index > begin.index)) {
      // The block continues on the following lines.
      const r = redactText(line.slice(0, begin.index));
      n += r.redactions + 1;
      out.push(`${r.value}${REDACTED_KEY}`);
      inKey = true;
      continue;
    }
    if (end && !begin) {
      // The BEGIN was cut off: drop the key lines already emitted.
      for (;;) {
        const prev = out[out.length - 1]?.replace(TIMESTAMP_PREFIX, '').trim();
        if (
          prev === undefined ||
          !(BASE64_LINE.test(prev) || prev === REDACTED_BASE64)
        )
          break;
        // Already counted as a base64 run; the block is counted once below.
        if (prev === REDACTED_BASE64) n -= 1;
        out.pop();
      }
      const r = redactText(line.slice(end.index + end[0].length));
      n += r.redactions + 1;
      out.push(`${REDACTED_KEY}${r.value}`);
      continue;
    }
    const r = redactText(line);
    n += r.redactions;
    out.push(r.value);
  }
  return { value: out, redactions: n };
}
