import { GenerationError, type SynthesizedAudio, type VoiceSynthesizer } from "@audnix/core";

/** The formats we ask for: Opus in Ogg (WhatsApp voice notes) or MP3. */
export type ElevenLabsOutputFormat =
  | "opus_48000_32"
  | "opus_48000_64"
  | "opus_48000_96"
  | "opus_48000_128"
  | "opus_48000_192"
  | "mp3_22050_32"
  | "mp3_44100_32"
  | "mp3_44100_64"
  | "mp3_44100_96"
  | "mp3_44100_128"
  | "mp3_44100_192";

export interface ElevenLabsSynthesizerOptions {
  apiKey: string;
  /** https://api.elevenlabs.io, or the fake's URL. */
  baseUrl?: string;
  /** The brand's default voice; a request may name another. */
  voiceId: string;
  modelId?: string;
  outputFormat?: ElevenLabsOutputFormat;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Text-to-speech through ElevenLabs. Failures throw GenerationError (retryable for 429, 5xx,
 * timeouts), with messages built from the status only: the key never appears.
 */
export function createElevenLabsSynthesizer(options: ElevenLabsSynthesizerOptions): VoiceSynthesizer {
  const baseUrl = (options.baseUrl ?? "https://api.elevenlabs.io").replace(/\/+$/, "");
  const outputFormat = options.outputFormat ?? "opus_48000_64";
  const contentType: SynthesizedAudio["contentType"] = outputFormat.startsWith("opus_") ? "audio/ogg" : "audio/mpeg";
  const doFetch = options.fetch ?? fetch;

  return {
    async synthesize(request) {
      const url = new URL(`${baseUrl}/v1/text-to-speech/${encodeURIComponent(request.voiceId ?? options.voiceId)}`);
      url.searchParams.set("output_format", outputFormat);
      let audio: Uint8Array;
      try {
        const response = await doFetch(url, {
          method: "POST",
          headers: { "xi-api-key": options.apiKey, "Content-Type": "application/json", Accept: contentType },
          body: JSON.stringify({ text: request.text, model_id: options.modelId ?? "eleven_multilingual_v2" }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
        if (!response.ok) {
          await response.body?.cancel();
          throw statusError(response.status);
        }
        audio = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        if (error instanceof GenerationError) throw error;
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        throw new GenerationError(timedOut ? "ElevenLabs did not answer in time" : "ElevenLabs could not be reached", true);
      }
      // A proxy's HTML page or an empty body must not go out as a voice note.
      if (!looksLike(contentType, audio)) throw new GenerationError(`ElevenLabs answered something that is not ${contentType}`, false);
      return { audio, contentType };
    },
  };
}

function statusError(status: number): GenerationError {
  const retryable = status === 408 || status === 429 || status >= 500;
  const hint = status === 401 ? " (invalid key or quota exhausted)" : status === 422 ? " (the request was refused as invalid)" : "";
  return new GenerationError(`ElevenLabs answered HTTP ${status}${hint}`, retryable);
}

function looksLike(contentType: SynthesizedAudio["contentType"], audio: Uint8Array): boolean {
  if (contentType === "audio/ogg") return audio.length > 4 && new TextDecoder().decode(audio.subarray(0, 4)) === "OggS";
  const id3 = audio.length > 3 && new TextDecoder().decode(audio.subarray(0, 3)) === "ID3";
  const frameSync = audio.length > 2 && audio[0] === 0xff && ((audio[1] ?? 0) & 0xe0) === 0xe0;
  return id3 || frameSync;
}
