import { estimateSpeechSeconds, type OutboundMessage } from "@audnix/core";
import { consumeVoiceMinutes, saveMediaAsset } from "@audnix/db";
import type { TaskRun } from "./define-task.ts";

/**
 * Turns a drafted text into a voice note the platform can fetch: plan minutes are metered first
 * (consumeVoiceMinutes refuses past the plan's limit), then the audio is synthesized, stored, and
 * served at APP_URL/media/<id>. Null means "send the text instead": no minutes left, or the
 * synthesizer failed (a voice note is a nicety, never a reason to miss a follow-up).
 */
export async function attachVoiceNote(
  run: TaskRun,
  input: { userId: string; leadId: string; text: string; now: Date },
): Promise<OutboundMessage["voice"] | null> {
  const { db, followUpServices: services } = run.deps;
  if (!services.synthesizer) return null;
  const seconds = estimateSpeechSeconds(input.text);
  const minutes = Math.ceil((seconds / 60) * 100) / 100;
  const granted = await consumeVoiceMinutes(db, { userId: input.userId, minutes, now: input.now });
  if (!granted) {
    run.logger.info("voice minutes used up; sending text");
    return null;
  }
  try {
    const audio = await services.synthesizer.synthesize({ text: input.text, ...(services.voiceId ? { voiceId: services.voiceId } : {}) });
    const asset = await saveMediaAsset(db, {
      userId: input.userId,
      leadId: input.leadId,
      contentType: audio.contentType,
      bytes: audio.audio,
      durationSeconds: seconds,
    });
    return { url: `${services.appUrl}/media/${asset.id}`, contentType: audio.contentType };
  } catch (error) {
    run.logger.warn("voice synthesis failed; sending text", { err: error });
    return null;
  }
}
