// vitest setupFiles: tee everything this test worker prints into the audited logs (see log-audit.ts).
import { captureOwnOutput } from "./log-audit.ts";

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    captureOwnOutput(chunk);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
