/** Programmatic fault injection: errors, 429 with Retry-After, hangs, dropped connections, latency. */
import { FaultRule } from '../types';

interface ActiveRule {
  rule: FaultRule;
  matcher: (path: string, pathAndQuery: string) => boolean;
  remaining: number;
}

function compile(rule: FaultRule): ActiveRule['matcher'] {
  const p = rule.path;
  if (p instanceof RegExp) {
    const re = new RegExp(p.source, p.flags.replace('g', ''));
    return (_path, full) => re.test(full);
  }
  if (typeof p !== 'string') throw new TypeError('FaultRule.path must be a string or a RegExp');
  if (p.includes('*')) {
    const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return path => re.test(path);
  }
  return path => path === p;
}

export class Faults {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): () => void {
    const active: ActiveRule = {
      rule,
      matcher: compile(rule),
      remaining: rule.times === undefined ? Infinity : Math.max(0, rule.times),
    };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter(r => r !== active);
    };
  }

  clear() {
    this.rules = [];
  }

  /** The first matching rule (consuming one of its `times`), if any. */
  take(method: string, path: string, pathAndQuery: string): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.remaining <= 0) continue;
      if (r.rule.method && r.rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!r.matcher(path, pathAndQuery)) continue;
      r.remaining -= 1;
      if (r.remaining <= 0) this.rules = this.rules.filter(x => x !== r);
      return r.rule;
    }
    return undefined;
  }
}
