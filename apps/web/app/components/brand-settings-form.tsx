import type { RouterOutputs } from "@audnix/api/client";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { BrandSettingsField, BrandSettingsFormResult } from "../follow-ups/brand-settings-form.server.ts";

type Settings = RouterOutputs["brandSettings"]["get"]["settings"];

interface Props {
  settings: Settings;
  /** The steps as the owner writes them ("1h, 1d, 3d"), formatted on the server. */
  stepsText: string;
  voiceNotesAvailable: boolean;
  timeZones: string[];
  result: BrandSettingsFormResult | undefined;
}

/** The brand's voice and follow-up rules: what the AI writes like, when it writes, how often. */
export function BrandSettingsForm({ settings, stepsText, voiceNotesAvailable, timeZones, result }: Props) {
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formMethod === "POST";
  const errors: Partial<Record<BrandSettingsField, string>> = result && !result.ok ? result.errors : {};
  const errorFor = (field: BrandSettingsField) => errors[field];

  return (
    <Form method="post" className="settings-form" aria-describedby="settings-status" noValidate>
      <fieldset className="settings-form__group">
        <legend>Brand voice</legend>
        <Field id="brandName" label="Brand name" error={errorFor("brandName")}>
          <input id="brandName" name="brandName" defaultValue={settings.brandName ?? ""} maxLength={80} {...invalid("brandName", errors)} />
        </Field>
        <Field
          id="voiceRules"
          label="Voice rules"
          hint="How the AI should sound and what it must never say (up to 2,000 characters)."
          error={errorFor("voiceRules")}
        >
          <textarea id="voiceRules" name="voiceRules" rows={5} maxLength={2000} defaultValue={settings.voiceRules} {...invalid("voiceRules", errors)} />
        </Field>
        <Checkbox
          id="disclosureEnabled"
          label="Say that replies are automated (required in some places, e.g. California and Germany)"
          defaultChecked={settings.disclosureEnabled}
        />
        <Checkbox
          id="voiceEnabled"
          label="Send some follow-ups as short voice notes"
          defaultChecked={settings.voiceEnabled && voiceNotesAvailable}
          disabled={!voiceNotesAvailable}
          note={voiceNotesAvailable ? undefined : "Voice notes are turned off on this server (ENABLE_VOICE)."}
          error={errorFor("voiceEnabled")}
        />
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>Timing</legend>
        <Field id="timezone" label="Time zone" hint="Used for quiet hours when the lead's own zone is unknown." error={errorFor("timezone")}>
          <input id="timezone" name="timezone" list="time-zones" defaultValue={settings.timezone} autoComplete="off" {...invalid("timezone", errors)} />
        </Field>
        <datalist id="time-zones">
          {timeZones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <div className="settings-form__row">
          <Field id="quietHoursStart" label="Quiet hours from" error={errorFor("quietHoursStart")}>
            <input id="quietHoursStart" name="quietHoursStart" type="time" defaultValue={settings.quietHoursStart} {...invalid("quietHoursStart", errors)} />
          </Field>
          <Field id="quietHoursEnd" label="Quiet hours until" error={errorFor("quietHoursEnd")}>
            <input id="quietHoursEnd" name="quietHoursEnd" type="time" defaultValue={settings.quietHoursEnd} {...invalid("quietHoursEnd", errors)} />
          </Field>
        </div>
        <Field
          id="steps"
          label="Follow-up steps"
          hint="Time after the lead's last message, e.g. 1h, 1d, 3d (m = minutes, h = hours, d = days; 1 to 10 steps)."
          error={errorFor("followUpStepsMinutes")}
        >
          <input id="steps" name="steps" defaultValue={stepsText} autoComplete="off" {...invalid("followUpStepsMinutes", errors)} />
        </Field>
        <div className="settings-form__row">
          <Field id="delayMinMinutes" label="Shortest extra delay (minutes)" error={errorFor("delayMinMinutes")}>
            <input id="delayMinMinutes" name="delayMinMinutes" type="number" min={0} max={1440} step={1} defaultValue={settings.delayMinMinutes} {...invalid("delayMinMinutes", errors)} />
          </Field>
          <Field id="delayMaxMinutes" label="Longest extra delay (minutes)" error={errorFor("delayMaxMinutes")}>
            <input id="delayMaxMinutes" name="delayMaxMinutes" type="number" min={0} max={1440} step={1} defaultValue={settings.delayMaxMinutes} {...invalid("delayMaxMinutes", errors)} />
          </Field>
        </div>
        <p className="muted">A random delay in this window is added to every message, so replies arrive at a human pace.</p>
      </fieldset>

      <fieldset className="settings-form__group">
        <legend>WhatsApp</legend>
        <Field
          id="whatsappTemplateName"
          label="Approved template name"
          hint="Sent when the 24-hour WhatsApp window has closed. Leave empty to skip WhatsApp then."
          error={errorFor("whatsappTemplateName")}
        >
          <input id="whatsappTemplateName" name="whatsappTemplateName" defaultValue={settings.whatsappTemplateName ?? ""} autoComplete="off" {...invalid("whatsappTemplateName", errors)} />
        </Field>
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

function invalid(field: BrandSettingsField, errors: Partial<Record<BrandSettingsField, string>>) {
  return errors[field] ? { "aria-invalid": true as const, "aria-describedby": `${field}-error` } : {};
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error: string | undefined; children: ReactNode }) {
  const errorId = id === "steps" ? "followUpStepsMinutes-error" : `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <p className="muted settings-form__hint">{hint}</p> : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
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
