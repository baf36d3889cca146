import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { failureScript, listenFake, readJsonBody, sendJson, type ScriptedFailure } from "../fake-http.ts";
import { recordTestSecret } from "../testing/log-audit.ts";
import { fakeMp3, fakeOggOpus } from "./fake-audio.ts";

// ElevenLabs text-to-speech as the product calls it: POST /v1/text-to-speech/{voice_id}
// ?output_format=... with the xi-api-key header, answering audio bytes (Ogg/Opus or MP3 by format)
// or ElevenLabs' {detail:{status,message}} errors. Serves tests and sandbox mode.

export interface FakeTtsRequest {
  voiceId: string;
  outputFormat: string;
  text: string;
  modelId: string | undefined;
}

export interface FakeElevenLabsOptions {
  /** The only key accepted; default FAKE_ELEVENLABS_API_KEY. */
  apiKey?: string;
  port?: number;
}

export interface FakeElevenLabs {
  url: string;
  /** Authorized, well-formed requests in arrival order (failed ones included). */
  requests: FakeTtsRequest[];
  /** The next `times` authorized requests answer with this instead of audio. */
  failNext(failure: ScriptedFailure, times?: number): void;
  close(): Promise<void>;
}

export const FAKE_ELEVENLABS_API_KEY = "sk_fake_elevenlabs_audnix_sandbox";

const OUTPUT_FORMAT = /^(mp3_22050_32|mp3_44100_(32|64|96|128|192)|opus_48000_(32|64|96|128|192))$/;
const ttsBodySchema = z.looseObject({ text: z.string().min(1), model_id: z.string().min(1).optional() });

export async function startFakeElevenLabs(options: FakeElevenLabsOptions = {}): Promise<FakeElevenLabs> {
  const apiKey = options.apiKey ?? FAKE_ELEVENLABS_API_KEY;
  recordTestSecret(apiKey);
  const requests: FakeTtsRequest[] = [];
  const failures = failureScript();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const voiceId = /^\/v1\/text-to-speech\/([^/]+)\/?$/.exec(url.pathname)?.[1];
    if (request.method !== "POST" || !voiceId) return sendJson(response, 404, { detail: "Not Found" });
    if (request.headers["xi-api-key"] !== apiKey) {
      return sendJson(response, 401, { detail: { status: "invalid_api_key", message: "Invalid API key" } });
    }
    const outputFormat = url.searchParams.get("output_format") ?? "mp3_44100_128";
    const body = ttsBodySchema.safeParse(await readJsonBody(request));
    if (!body.success || !OUTPUT_FORMAT.test(outputFormat)) {
      return sendJson(response, 422, { detail: [{ loc: ["body"], msg: "Invalid request", type: "value_error" }] });
    }
    requests.push({ voiceId: decodeURIComponent(voiceId), outputFormat, text: body.data.text, modelId: body.data.model_id });
    const failure = failures.next();
    if (failure) return sendJson(response, failure.status, failure.body ?? { detail: { status: "system_busy", message: "Service busy" } }, failure.headers);
    // About one 20 ms frame per 1.5 characters spoken, as a rough stand-in for speech length.
    const frames = Math.max(1, Math.ceil(body.data.text.length / 1.5));
    const opus = outputFormat.startsWith("opus_");
    const audio = opus ? fakeOggOpus(Math.min(frames, 255)) : fakeMp3(Math.ceil(frames / 1.3));
    response.writeHead(200, { "Content-Type": opus ? "audio/ogg" : "audio/mpeg", "Content-Length": String(audio.length) }).end(audio);
  }

  const server = await listenFake(options.port, handle);
  return { url: server.url, requests, failNext: (failure, times) => failures.add(failure, times), close: server.close };
}
