import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { demoSignIn } from "../auth/demo-sign-in.server.ts";
import { signInErrorMessage } from "../auth/sign-in-errors.ts";
import { getEnv } from "../env.server.ts";
import { clientAddressOf } from "../load-context.server.ts";
import { requireWithinRateLimit } from "../rate-limit.server.ts";
import { safeRedirect } from "../safe-redirect.ts";
import { keepInputWhenUnreachable, skipRevalidationWhenUnreachable, UNREACHABLE_MESSAGE } from "../forms/keep-input-when-unreachable.ts";
import { createUserSession, getUserId } from "../session.server.ts";
import { BrandLink } from "../components/site-header.tsx";

const DEMO_EMAIL = "demo@audnix.local";

export const meta: MetaFunction = () => [{ title: "Sign in · Audnix AI" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const searchParams = new URL(request.url).searchParams;
  const redirectTo = safeRedirect(searchParams.get("redirectTo"));
  if (await getUserId(request)) throw redirect(redirectTo);
  const env = getEnv();
  return {
    redirectTo,
    signInError: signInErrorMessage(searchParams.get("error")),
    google: env.googleSignInConfigured,
    apple: env.appleSignInConfigured,
    demoSignInEnabled: env.demoSignInEnabled,
  };
}

const demoSignInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "Enter a valid email address." })),
  redirectTo: z.string().optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  if (!getEnv().demoSignInEnabled) {
    throw data("Demo sign-in is disabled.", { status: 403 });
  }
  await requireWithinRateLimit("demoSignIn", clientAddressOf(context));
  const parsed = demoSignInSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const emailIssue = parsed.error.issues.find((issue) => issue.path[0] === "email");
    return data({ emailError: emailIssue?.message ?? "Enter a valid email address." }, { status: 400 });
  }
  const { email, redirectTo } = parsed.data;
  const signedIn = await demoSignIn(email, new Date());
  if (!signedIn.ok) {
    return data(
      { emailError: "This email signs in with Google or Apple. Demo sign-in is for demo accounts only: use another email." },
      { status: 403 },
    );
  }
  return createUserSession(request, signedIn.userId, safeRedirect(redirectTo));
}

export const clientAction = keepInputWhenUnreachable<{ emailError: string }>(() => ({ emailError: UNREACHABLE_MESSAGE }));

export const shouldRevalidate = skipRevalidationWhenUnreachable;

export default function SignIn() {
  const { redirectTo, signInError, google, apple, demoSignInEnabled } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const signingIn = navigation.state !== "idle" && navigation.formAction?.startsWith("/auth") === true;

  return (
    <main className="page page--centered">
      <section className="card auth" aria-labelledby="auth-title">
        <BrandLink />
        <h1 id="auth-title">Sign in to start your free trial</h1>
        {signInError ? (
          <p className="field-error" role="alert">
            {signInError}
          </p>
        ) : null}

        <ProviderButton
          id="google"
          label="Continue with Google"
          configured={google}
          redirectTo={redirectTo}
          envNames="GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET"
        />
        <ProviderButton
          id="apple"
          label="Continue with Apple"
          configured={apple}
          redirectTo={redirectTo}
          envNames="APPLE_CLIENT_ID, APPLE_TEAM_ID, APPLE_KEY_ID and APPLE_PRIVATE_KEY"
        />

        {demoSignInEnabled ? (
          <Form method="post" className="demo" aria-labelledby="demo-title">
            <h2 id="demo-title">Demo sign-in (development only)</h2>
            <p className="muted">Signs you in as any email without a password. Never available in production.</p>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <label htmlFor="demo-email">Email</label>
            <input
              id="demo-email"
              name="email"
              type="email"
              required
              autoComplete="email"
              defaultValue={DEMO_EMAIL}
              aria-invalid={actionData?.emailError ? true : undefined}
              aria-describedby={actionData?.emailError ? "demo-email-error" : undefined}
            />
            {actionData?.emailError ? (
              <p id="demo-email-error" className="field-error" role="alert">
                {actionData.emailError}
              </p>
            ) : null}
            <button type="submit" className="button button--primary" disabled={signingIn} aria-busy={signingIn}>
              {signingIn ? "Signing in…" : "Sign in with demo account"}
            </button>
          </Form>
        ) : null}
      </section>
    </main>
  );
}

interface ProviderButtonProps {
  id: "google" | "apple";
  label: string;
  configured: boolean;
  redirectTo: string;
  envNames: string;
}

function ProviderButton({ id, label, configured, redirectTo, envNames }: ProviderButtonProps) {
  if (configured) {
    // A plain document POST: the answer is a redirect to the provider's own site.
    return (
      <form method="post" action={`/auth/${id}`} className="provider">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <button type="submit" className="button button--provider">
          {label}
        </button>
      </form>
    );
  }
  return (
    <div className="provider">
      <button type="button" className="button button--provider" disabled aria-describedby={`${id}-note`}>
        {label}
      </button>
      <p id={`${id}-note`} className="provider__note muted">
        Not configured: set {envNames} to enable.
      </p>
    </div>
  );
}
