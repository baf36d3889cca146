import { formatAmount } from "../billing/format-amount.ts";
import { PAID_PLAN_TITLES } from "../billing/plan-titles.ts";

export interface UpgradeOptionView {
  plan: keyof typeof PAID_PLAN_TITLES;
  leadLimit: number;
  voiceMinuteLimit: number;
  price: { amountMinor: number; currency: string };
  checkoutUrl: string | null;
  missingEnv: string | null;
}

/** One card per paid plan; checkout opens in a new tab so the dashboard stays open for the result. */
export function UpgradeOptions({ options, currentPlan }: { options: UpgradeOptionView[]; currentPlan: string }) {
  return (
    <ul className="plans">
      {options.map((option) => {
        const title = PAID_PLAN_TITLES[option.plan];
        const current = option.plan === currentPlan;
        return (
          <li key={option.plan} className={current ? "plan plan--current" : "plan"} data-testid={`plan-${option.plan}`} aria-current={current ? "true" : undefined}>
            <h3>{title}</h3>
            <p className="plan__price">
              <strong>{formatAmount(option.price.amountMinor, option.price.currency)}</strong> per month
            </p>
            <p className="muted">
              Up to {option.leadLimit.toLocaleString("en-US")} leads with AI follow-up · {option.voiceMinuteLimit} voice minutes
            </p>
            {current ? (
              <p className="plan__current">Current plan</p>
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
