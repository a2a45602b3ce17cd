import { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that keeps every line it was given, meta included, as text. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  private write(level: string, message: string, meta?: unknown) {
    let extra = '';
    if (meta instanceof Error) extra = ` ${meta.stack ?? meta.message}`;
    else if (meta !== undefined) extra = ` ${JSON.stringify(meta)}`;
    this.lines.push(`${level} ${message}${extra}`);
  }
  error(message: string, meta?: Error | object) {
    this.write('error', message, meta);
  }
  warn(message: string, meta?: Error | object) {
    this.write('warn', message, meta);
  }
  info(message: string, meta?: Error | object) {
    this.write('info', message, meta);
  }
  debug(message: string, meta?: Error | object) {
    this.write('debug', message, meta);
  }
  child(): LoggerService {
    return this;
  }
  get text(): string {
    return this.lines.join('\n');
  }
}
