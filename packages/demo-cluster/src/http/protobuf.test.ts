import { decodeProtobufObject } from './protobuf';

/** A tiny protobuf encoder for the test. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = n;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return out;
};
const bytesField = (num: number, payload: Buffer) => Buffer.from([...varint((num << 3) | 2), ...varint(payload.length), ...payload]);
const str = (num: number, text: string) => bytesField(num, Buffer.from(text));
const intField = (num: number, n: number) => Buffer.from([...varint(num << 3), ...varint(n)]);
const msg = (...parts: Buffer[]) => Buffer.concat(parts);
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), bytesField(1, msg(str(1, apiVersion), str(2, kind))), bytesField(2, raw)]);

describe('protobuf request bodies', () => {
  it('decodes a ConfigMap with metadata, data and an empty creationTimestamp', () => {
    const meta = msg(str(1, 'cfg'), str(3, 'shop'), bytesField(8, Buffer.alloc(0)), bytesField(11, msg(str(1, 'app'), str(2, 'x'))));
    const raw = msg(bytesField(1, meta), bytesField(2, msg(str(1, 'FROM'), str(2, 'a@b.c'))), bytesField(3, msg(str(1, 'bin'), bytesField(2, Buffer.from([1, 2])))));
    expect(decodeProtobufObject(envelope('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'shop', labels: { app: 'x' } },
      data: { FROM: 'a@b.c' },
      binaryData: { bin: 'AQI=' },
    });
  });

  it('keeps meaningful zero values of pointer fields and decodes int-or-string', () => {
    const rolling = msg(bytesField(1, msg(intField(1, 1), str(3, '25%'))), bytesField(2, msg(intField(1, 0), intField(2, 1))));
    const spec = msg(intField(1, 0), bytesField(4, msg(str(1, 'RollingUpdate'), bytesField(2, rolling))));
    const out = decodeProtobufObject(envelope('apps/v1', 'Deployment', msg(bytesField(1, str(1, 'd')), bytesField(2, spec))));
    expect(out.spec).toEqual({ replicas: 0, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } } });
  });

  it('refuses unknown kinds and fields with 415, and garbage with 400', () => {
    expect(() => decodeProtobufObject(envelope('networking.k8s.io/v1', 'Ingress', Buffer.alloc(0)))).toThrow(/Ingress is not supported/);
    expect(() => decodeProtobufObject(envelope('v1', 'ConfigMap', str(99, 'x')))).toThrow(/ConfigMap field 99 is not supported/);
    expect(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}'))).toThrow(/envelope/);
    expect(() => decodeProtobufObject(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x12, 0xff]))).toThrow();
  });
});
