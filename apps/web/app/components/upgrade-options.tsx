import { PAID_PLAN_TITLES } from "../billing/plan-titles.ts";

export interface UpgradeOptionView {
  plan: keyof typeof PAID_PLAN_TITLES;
  leadLimit: number;
  voiceMinuteLimit: number;
  checkoutUrl: string | null;
  missingEnv: string | null;
}

/** One card per paid plan; checkout opens in a new tab so the dashboard stays open for the result. */
export function UpgradeOptions({ options, currentPlan }: { options: UpgradeOptionView[]; currentPlan: string }) {
  return (
    <ul className="plans">
      {options.map((option) => {
        const title = PAID_PLAN_TITLES[option.plan];
        return (
          <li key={option.plan} className="plan" data-testid={`plan-${option.plan}`}>
            <h3>{title}</h3>
            <p className="muted">
              {option.leadLimit} leads · {option.voiceMinuteLimit} voice minutes
            </p>
            {option.plan === currentPlan ? (
              <p className="plan__current">Your current plan</p>
            ) : option.checkoutUrl !== null ? (
              <a className="button button--primary" href={option.checkoutUrl} target="_blank" rel="noopener noreferrer">
                Upgrade to {title}
              </a>
            ) : (
              <>
                <button type="button" className="button" disabled aria-describedby={`plan-${option.plan}-missing`}>
                  Upgrade to {title}
                </button>
                <p id={`plan-${option.plan}-missing`} className="muted plan__note">
                  Set {option.missingEnv} to enable this plan
                </p>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
