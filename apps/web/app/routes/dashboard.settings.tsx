import { describeReplyPace, formatStepDurations, hasQuietHours } from "@audnix/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BrandSettingsForm } from "../components/brand-settings-form.tsx";
import { saveBrandSettingsForm, type BrandSettingsFormResult } from "../follow-ups/brand-settings-form.server.ts";
import { keepInputWhenUnreachable, skipRevalidationWhenUnreachable, UNREACHABLE_MESSAGE } from "../forms/keep-input-when-unreachable.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

export const meta: MetaFunction = () => [{ title: "Settings · Audnix AI" }];

export const headers = privatePageHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const { settings, voiceNotesAvailable } = await caller.brandSettings.get();
  return {
    settings,
    // Formatted here: @audnix/core is server-side code (node:crypto) and stays out of the bundle.
    stepsText: formatStepDurations(settings.followUpStepsMinutes),
    noQuietHours: !hasQuietHours({ start: settings.quietHoursStart, end: settings.quietHoursEnd }),
    replyPace: describeReplyPace(),
    voiceNotesAvailable,
    // The server's list, so the suggestions match what the API accepts.
    timeZones: Intl.supportedValuesOf("timeZone"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  return saveBrandSettingsForm(userId, await request.formData());
}

export const clientAction = keepInputWhenUnreachable<BrandSettingsFormResult>(() => ({ ok: false, errors: {}, message: UNREACHABLE_MESSAGE }));

export const shouldRevalidate = skipRevalidationWhenUnreachable;

export default function SettingsPage() {
  const { settings, stepsText, noQuietHours, replyPace, voiceNotesAvailable, timeZones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="card" aria-labelledby="settings-title">
      <h1 id="settings-title">Brand settings</h1>
      <p className="muted">How the AI writes to your leads and when it follows up. Changes apply to the next message it sends; new timing also moves the follow-ups already planned.</p>
      <BrandSettingsForm
        settings={settings}
        stepsText={stepsText}
        noQuietHours={noQuietHours}
        replyPace={replyPace}
        voiceNotesAvailable={voiceNotesAvailable}
        timeZones={timeZones}
        result={result}
      />
    </section>
  );
}
