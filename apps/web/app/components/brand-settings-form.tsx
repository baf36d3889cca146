import type { RouterOutputs } from "@audnix/api/client";
import { Form, useNavigation } from "@remix-run/react";
import type { BrandSettingsField, BrandSettingsFormResult } from "../follow-ups/brand-settings-form.server.ts";
import { FormField } from "./form-field.tsx";

type Settings = RouterOutputs["brandSettings"]["get"]["settings"];

interface Props {
  settings: Settings;
  /** The steps as the owner writes them ("1h, 1d, 3d"), formatted on the server. */
  stepsText: string;
  /** The stored quiet hours hold no minute (core hasQuietHours), computed on the server. */
  noQuietHours: boolean;
  /** How replies are timed, in the engine's numbers (core describeReplyPace). */
  replyPace: string;
  voiceNotesAvailable: boolean;
  timeZones: string[];
  result: BrandSettingsFormResult | undefined;
}

/** The brand's voice and follow-up rules: what the AI writes like, when it writes, how often. */
export function BrandSettingsForm({ settings, stepsText, noQuietHours, replyPace, voiceNotesAvailable, timeZones, result }: Props) {
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formMethod === "POST";
  const errors: Partial<Record<BrandSettingsField, string>> = result && !result.ok ? result.errors : {};
  const errorFor = (field: BrandSettingsField) => errors[field];

  return (
    <Form method="post" className="settings-form" aria-describedby="settings-status" noValidate>
      <fieldset className="settings-form__group">
        <legend>Brand voice</legend>
        <FormField id="brandName" label="Brand name" error={errorFor("brandName")}>
          {(control) => <input {...control} name="brandName" defaultValue={settings.brandName ?? ""} maxLength={80} />}
        </FormField>
        <FormField
          id="voiceRules"
          label="Voice rules"
          hint="How the AI should sound and what it must never say (up to 2,000 characters)."
          error={errorFor("voiceRules")}
        >
          {(control) => <textarea {...control} name="voiceRules" rows={5} maxLength={2000} defaultValue={settings.voiceRules} />}
        </FormField>
        <Checkbox
          id="disclosureEnabled"
          label="End every AI-written message with a line saying it is automated (required in some places, e.g. California and Germany)"
          defaultChecked={settings.disclosureEnabled}
        />
        <Checkbox
          id="voiceEnabled"
          label="Send about one AI message in three as a short voice note (WhatsApp only, never the first message, while the plan has voice minutes left)"
          defaultChecked={settings.voiceEnabled && voiceNotesAvailable}
          disabled={!voiceNotesAvailable}
          note={voiceNotesAvailable ? undefined : "Voice notes are turned off on this server (ENABLE_VOICE)."}
          error={errorFor("voiceEnabled")}
        />
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>Timing</legend>
        <FormField id="timezone" label="Time zone" hint="Quiet hours are read on the lead's own clock when their zone is known, otherwise in this zone." error={errorFor("timezone")}>
          {(control) => <input {...control} name="timezone" list="time-zones" defaultValue={settings.timezone} autoComplete="off" />}
        </FormField>
        <datalist id="time-zones">
          {timeZones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <div className="settings-form__row">
          <FormField id="quietHoursStart" label="Quiet hours from" error={errorFor("quietHoursStart")}>
            {(control) => <input {...control} name="quietHoursStart" type="time" defaultValue={settings.quietHoursStart} />}
          </FormField>
          <FormField id="quietHoursEnd" label="Quiet hours until" error={errorFor("quietHoursEnd")}>
            {(control) => <input {...control} name="quietHoursEnd" type="time" defaultValue={settings.quietHoursEnd} />}
          </FormField>
        </div>
        <p className="muted" id="quiet-hours-note">
          A follow-up step that would fall inside quiet hours waits until they end, plus up to 30 minutes. Replies to a lead's
          message and "Follow up now" go out at any hour.
        </p>
        <Checkbox
          id="noQuietHours"
          label="No quiet hours (follow-ups go out at any hour)"
          defaultChecked={noQuietHours}
          error={errorFor("noQuietHours")}
        />
        <FormField
          id="steps"
          label="Follow-up steps"
          hint="When each step goes out while the lead stays silent, counted from the last message of the conversation (usually the AI's reply): 1h, 1d, 3d sends one an hour, a day and three days after it, plus the extra delay below (m = minutes, h = hours, d = days; 1 to 10 steps). When the lead writes, the AI replies and the steps start again."
          error={errorFor("followUpStepsMinutes")}
        >
          {(control) => <input {...control} name="steps" defaultValue={stepsText} autoComplete="off" />}
        </FormField>
        <div className="settings-form__row">
          <FormField id="delayMinMinutes" label="Shortest extra delay (minutes)" error={errorFor("delayMinMinutes")}>
            {(control) => <input {...control} name="delayMinMinutes" type="number" min={0} max={1440} step={1} defaultValue={settings.delayMinMinutes} />}
          </FormField>
          <FormField id="delayMaxMinutes" label="Longest extra delay (minutes)" error={errorFor("delayMaxMinutes")}>
            {(control) => <input {...control} name="delayMaxMinutes" type="number" min={0} max={1440} step={1} defaultValue={settings.delayMaxMinutes} />}
          </FormField>
        </div>
        <p className="muted">A random delay in this window is added to each follow-up step. {replyPace}</p>
        <p className="muted">Saving new timing moves the follow-ups already planned to match it.</p>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>When you reply yourself</legend>
        <div className="settings-form__check">
          <input id="ownerReplyPause" name="ownerReply" type="radio" value="pause" defaultChecked={settings.ownerReplyPausesAi} />
          <label htmlFor="ownerReplyPause">Pause the AI for this lead (it sends nothing more until you resume it)</label>
        </div>
        <div className="settings-form__check">
          <input id="ownerReplyKeep" name="ownerReply" type="radio" value="keep" defaultChecked={!settings.ownerReplyPausesAi} />
          <label htmlFor="ownerReplyKeep">Keep following up (the AI's planned follow-ups still go out)</label>
        </div>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>WhatsApp</legend>
        <FormField
          id="whatsappTemplateName"
          label="Approved template name"
          hint="Sent when the 24-hour WhatsApp window has closed. Leave empty to skip WhatsApp then."
          error={errorFor("whatsappTemplateName")}
        >
          {(control) => <input {...control} name="whatsappTemplateName" defaultValue={settings.whatsappTemplateName ?? ""} autoComplete="off" />}
        </FormField>
      </fieldset>

      <div className="settings-form__actions">
        <button type="submit" className="button button--primary" disabled={saving} aria-busy={saving}>
          {saving ? "Saving…" : "Save settings"}
        </button>
        <div id="settings-status">
          {!saving && result?.ok ? (
            <p role="status" className="settings-form__saved">
              Settings saved.
            </p>
          ) : null}
          {!saving && result && !result.ok ? (
            <p role="alert" className="field-error">
              {result.message}
            </p>
          ) : null}
        </div>
      </div>
    </Form>
  );
}

function Checkbox(props: { id: string; label: string; defaultChecked: boolean; disabled?: boolean; note?: string; error?: string }) {
  return (
    <div className="settings-form__check">
      <input id={props.id} name={props.id} type="checkbox" defaultChecked={props.defaultChecked} disabled={props.disabled} />
      <label htmlFor={props.id}>{props.label}</label>
      {props.note ? <p className="muted settings-form__hint">{props.note}</p> : null}
      {props.error ? <p className="field-error">{props.error}</p> : null}
    </div>
  );
}
