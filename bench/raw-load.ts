// A lean load generator for requests that never change (GetUser with one token, DescribeUserPool):
// each connection writes prebuilt bytes and reads just enough to find the end of the answer. The
// machine's cores are shared with the server, so the less the client spends, the more is measured.
import { connect, type Socket } from 'node:net';

export interface RawRequest {
  url: string;
  operation: string;
  body: unknown;
  /** More headers, e.g. a SigV4 signature made for exactly these bytes. */
  headers?: Record<string, string>;
}

export interface RawResult {
  latencies: number[];
  elapsedSeconds: number;
  failures: number;
}

export async function rawLoad(request: RawRequest, connections: number, seconds: number): Promise<RawResult> {
  const { hostname, port } = new URL(request.url);
  const payload = JSON.stringify(request.body);
  const bytes = Buffer.from(
    `POST / HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
      `X-Amz-Target: AWSCognitoIdentityProviderService.${request.operation}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` +
      Object.entries(request.headers ?? {})
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      `\r\n${payload}`,
  );
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const socket = await open(hostname, Number(port));
      const next = responses(socket);
      while (performance.now() < deadline) {
        const t0 = performance.now();
        socket.write(bytes);
        const status = await next();
        latencies.push(performance.now() - t0);
        if (status !== 200) failures++;
      }
      socket.destroy();
    }),
  );
  return { latencies, elapsedSeconds: (performance.now() - started) / 1000, failures };
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads answers one after another off a keep-alive connection; each call resolves with a status. */
function responses(socket: Socket): () => Promise<number> {
  let buffered: Buffer = Buffer.alloc(0);
  let waiting: ((status: number) => void) | undefined;
  const tryComplete = () => {
    if (!waiting) return;
    const headerEnd = buffered.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = buffered.subarray(0, headerEnd).toString('latin1');
    const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    const total = headerEnd + 4 + length;
    if (buffered.length < total) return;
    buffered = buffered.subarray(total);
    const resolve = waiting;
    waiting = undefined;
    resolve(Number(head.slice(9, 12)));
  };
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    tryComplete();
  });
  return () =>
    new Promise<number>((resolve) => {
      waiting = resolve;
      tryComplete();
    });
}
