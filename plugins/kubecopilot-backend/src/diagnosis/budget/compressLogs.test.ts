import fs from 'fs';
import path from 'path';
import { importantLogLines } from '../../analyzers/common';
import { compressLogs, containsLine, lineKey } from './compressLogs';

const noisy = fs
  .readFileSync(
    path.join(__dirname, '__fixtures__', 'crashloop-java.log'),
    'utf8',
  )
  .replace(/\n$/, '')
  .split('\n');

describe('compressLogs', () => {
  it('folds consecutive near-identical lines into one with a count', () => {
    expect(
      compressLogs([
        '2025-01-14T09:10:00.001Z INFO starting',
        '2025-01-14T09:10:01.120Z WARN db not reachable (attempt 1/10), retrying in 5000 ms',
        '2025-01-14T09:10:06.133Z WARN db not reachable (attempt 2/10), retrying in 5000 ms',
        '2025-01-14T09:10:11.140Z WARN db not reachable (attempt 3/10), retrying in 5000 ms',
        '2025-01-14T09:10:16.151Z ERROR giving up',
      ]),
    ).toEqual([
      '2025-01-14T09:10:00.001Z INFO starting',
      '2025-01-14T09:10:01.120Z WARN db not reachable (attempt 1/10), retrying in 5000 ms (×3)',
      '2025-01-14T09:10:16.151Z ERROR giving up',
    ]);
  });

  it('folds a repeating block of several lines (a retry loop)', () => {
    expect(
      compressLogs([
        'I0114 09:10:01.000000 1 main.go:40] connecting to redis-0.redis:6379',
        'E0114 09:10:01.004000 1 main.go:44] dial tcp 10.0.3.7:6379: connect: connection refused',
        'I0114 09:10:01.005000 1 main.go:48] backing off 1s',
        'I0114 09:10:02.006000 1 main.go:40] connecting to redis-0.redis:6379',
        'E0114 09:10:02.010000 1 main.go:44] dial tcp 10.0.3.7:6379: connect: connection refused',
        'I0114 09:10:02.011000 1 main.go:48] backing off 2s',
        'I0114 09:10:04.012000 1 main.go:40] connecting to redis-0.redis:6379',
        'E0114 09:10:04.015000 1 main.go:44] dial tcp 10.0.3.7:6379: connect: connection refused',
        'I0114 09:10:04.016000 1 main.go:48] backing off 4s',
        'F0114 09:10:08.020000 1 main.go:52] redis unavailable after 3 attempts',
      ]),
    ).toEqual([
      'I0114 09:10:01.000000 1 main.go:40] connecting to redis-0.redis:6379 (×3)',
      'E0114 09:10:01.004000 1 main.go:44] dial tcp 10.0.3.7:6379: connect: connection refused (×3)',
      'I0114 09:10:01.005000 1 main.go:48] backing off 1s (×3)',
      'F0114 09:10:08.020000 1 main.go:52] redis unavailable after 3 attempts',
    ]);
  });

  it('drops blank lines, banners and successful probe and metrics requests', () => {
    expect(
      compressLogs([
        '',
        '  .   ____          _            __ _ _',
        ' =========|_|==============|___/=/_/_/_/',
        ' :: Spring Boot ::                (v3.3.4)',
        '10.0.1.1 - - [14/Jan/2025:09:10:01 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.31"',
        'INFO RequestLog : GET /actuator/health/readiness 200 3ms ua=kube-probe/1.31',
        '10.0.4.2 - - [14/Jan/2025:09:10:02 +0000] "GET /metrics HTTP/1.1" 200 5120 "-" "Prometheus/2.54.1"',
        'INFO RequestLog : GET /actuator/health/readiness 503 3ms ua=kube-probe/1.31',
        'INFO RequestLog : GET /orders/42 200 14ms',
        '   ',
      ]),
    ).toEqual([
      ' :: Spring Boot ::                (v3.3.4)',
      // A failing probe is news.
      'INFO RequestLog : GET /actuator/health/readiness 503 3ms ua=kube-probe/1.31',
      'INFO RequestLog : GET /orders/42 200 14ms',
    ]);
  });

  it('keeps the first and last frame of a Java trace, and every Caused by', () => {
    const frames = (prefix: string, n: number) =>
      Array.from(
        { length: n },
        (_, i) => `\tat ${prefix}.m${i}(${prefix}.java:${10 + i})`,
      );
    expect(
      compressLogs([
        'org.postgresql.util.PSQLException: Connection refused',
        ...frames('org.pg.Conn', 10),
        'Caused by: java.net.ConnectException: Connection refused',
        ...frames('java.net.Socket', 5),
        '\t... 8 common frames omitted',
      ]),
    ).toEqual([
      'org.postgresql.util.PSQLException: Connection refused',
      '\tat org.pg.Conn.m0(org.pg.Conn.java:10)',
      '\t… 8 frames omitted',
      '\tat org.pg.Conn.m9(org.pg.Conn.java:19)',
      'Caused by: java.net.ConnectException: Connection refused',
      '\tat java.net.Socket.m0(java.net.Socket.java:10)',
      '\t… 4 frames omitted',
      '\t... 8 common frames omitted',
    ]);
  });

  it('trims Python tracebacks frame by frame (File line plus its source line)', () => {
    expect(
      compressLogs([
        'Traceback (most recent call last):',
        '  File "/app/report.py", line 88, in <module>',
        '    main()',
        '  File "/app/report.py", line 71, in main',
        '    rows = fetch_orders(conn, day)',
        '  File "/app/db.py", line 19, in fetch_orders',
        '    cur.execute(QUERY, (day,))',
        '  File "/usr/lib/python3.12/site-packages/psycopg2/extras.py", line 146, in execute',
        '    return super().execute(query, vars)',
        'psycopg2.errors.UndefinedColumn: column "total_cents" does not exist',
      ]),
    ).toEqual([
      'Traceback (most recent call last):',
      '  File "/app/report.py", line 88, in <module>',
      '    main()',
      '  … 2 frames omitted',
      '  File "/usr/lib/python3.12/site-packages/psycopg2/extras.py", line 146, in execute',
      '    return super().execute(query, vars)',
      'psycopg2.errors.UndefinedColumn: column "total_cents" does not exist',
    ]);
  });

  it('trims Go goroutine dumps and Node stacks', () => {
    expect(
      compressLogs([
        'panic: runtime error: index out of range [3] with length 3',
        '',
        'goroutine 1 [running]:',
        'main.parse(...)',
        '\t/src/cmd/web/parse.go:21',
        'main.load(0xc000012345)',
        '\t/src/cmd/web/load.go:55 +0x1c5',
        'main.boot()',
        '\t/src/cmd/web/boot.go:12 +0x25',
        'main.main()',
        '\t/src/cmd/web/main.go:41 +0x1f5',
        'exit status 2',
        "TypeError: Cannot read properties of undefined (reading 'id')",
        '    at handler (/app/src/routes/orders.js:42:18)',
        '    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)',
        '    at next (/app/node_modules/express/lib/router/route.js:149:13)',
        '    at Route.dispatch (/app/node_modules/express/lib/router/route.js:119:3)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      ]),
    ).toEqual([
      'panic: runtime error: index out of range [3] with length 3',
      'goroutine 1 [running]:',
      'main.parse(...)',
      '\t/src/cmd/web/parse.go:21',
      '… 2 frames omitted',
      'main.main()',
      '\t/src/cmd/web/main.go:41 +0x1f5',
      'exit status 2',
      "TypeError: Cannot read properties of undefined (reading 'id')",
      '    at handler (/app/src/routes/orders.js:42:18)',
      '    … 3 frames omitted',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ]);
  });

  it('never drops or merges evidence lines', () => {
    const middleFrame =
      '\tat c.a.checkout.db.DatabaseWaiter.awaitDatabase(DatabaseWaiter.java:41)';
    const blankEvidence = '';
    const keep = new Set([
      middleFrame,
      'WARN retry attempt 2 failed',
      'WARN retry attempt 3 failed',
      blankEvidence,
      'ERROR fatal: x',
    ]);
    const lines = [
      'java.lang.IllegalStateException: boom',
      '\tat a.A.one(A.java:1)',
      '\tat a.A.two(A.java:2)',
      middleFrame,
      '\tat a.A.four(A.java:4)',
      '\tat a.A.five(A.java:5)',
      '\tat a.A.six(A.java:6)',
      'WARN retry attempt 1 failed',
      'WARN retry attempt 2 failed',
      'WARN retry attempt 3 failed',
      'WARN retry attempt 4 failed',
      blankEvidence,
      'ERROR fatal: x',
      'ERROR fatal: x',
    ];
    const out = compressLogs(lines, { keep });
    expect(out).toEqual([
      'java.lang.IllegalStateException: boom',
      '\tat a.A.one(A.java:1)',
      '\t… 1 frame omitted',
      middleFrame,
      '\t… 2 frames omitted',
      '\tat a.A.six(A.java:6)',
      'WARN retry attempt 1 failed',
      'WARN retry attempt 2 failed',
      'WARN retry attempt 3 failed',
      'WARN retry attempt 4 failed',
      '',
      // Exact copies of an evidence line still fold; the line is kept as the prefix.
      'ERROR fatal: x (×2)',
    ]);
    for (const line of keep) expect(containsLine(out, line)).toBe(true);
  });

  it('masks timestamps, ids and counters when comparing lines', () => {
    expect(
      lineKey(
        '2025-01-14T09:10:01.120Z req 7f3a9c2e-1b4d-4c8e-9f00-123456789abc took 12.5ms (pod web-6b7f9c8d4-q2n8r)',
      ),
    ).toBe(
      lineKey(
        '2025-01-14T09:11:02.001Z req 00000000-1111-2222-3333-444444444444 took 9ms (pod web-6b7f9c8d4-q2n8r)',
      ),
    );
    expect(lineKey('GET /orders 200')).not.toBe(lineKey('GET /users 200'));
  });

  it('shrinks a realistic crash-loop log to at most 30% and keeps every evidence line', () => {
    // The lines the pod analyzer cites for this log are the evidence.
    const evidence = importantLogLines(noisy);
    expect(evidence.length).toBeGreaterThan(5);
    const out = compressLogs(noisy, { keep: new Set(evidence) });
    const raw = noisy.join('\n').length;
    const sent = out.join('\n').length;
    expect(sent / raw).toBeLessThanOrEqual(0.3);
    expect(evidence.filter(e => !containsLine(out, e))).toEqual([]);
  });
});
