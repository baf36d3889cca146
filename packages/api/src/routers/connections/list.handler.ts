import { emailConnectionSettingsSchema, sandboxConnectionState, type SandboxConnectionState } from "@audnix/core";
import { listConnections, type ConnectionSummary } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import { CONNECTABLE_CHANNELS, type ConnectableChannel } from "./channels.ts";

export type ConnectionState = "connected" | "not_connected" | "needs_reconnect";

export interface ChannelConnection {
  channel: ConnectableChannel;
  status: ConnectionState;
  /** Why it needs reconnecting, written for the owner. */
  reason: string | null;
  displayName: string | null;
  externalAccountId: string | null;
  tokenExpiresAt: Date | null;
  /** Email only: the inbound address Audnix assigned (leads' mail arrives there) and what follow-ups are sent as. */
  email: { inboundAddress: string; fromAddress: string; fromName: string | null } | null;
  /** Made against this `pnpm dev` launch's local fake ("current"), an earlier launch's ("stale"), or a real vendor (null). */
  sandbox: SandboxConnectionState;
}

/** Every connectable channel, connected or not, so the page always shows the same three cards. */
export async function listConnectionsHandler({ ctx }: { ctx: ProtectedContext }): Promise<ChannelConnection[]> {
  const rows = await listConnections(ctx.db, { userId: ctx.userId });
  return CONNECTABLE_CHANNELS.map((channel) => describe(channel, rows.find((row) => row.channel === channel), ctx.sandboxRunId));
}

function describe(channel: ConnectableChannel, row: ConnectionSummary | undefined, currentRunId: string | null): ChannelConnection {
  if (!row || row.status === "disconnected") {
    return { channel, status: "not_connected", reason: null, displayName: null, externalAccountId: null, tokenExpiresAt: null, email: null, sandbox: null };
  }
  const settings = emailConnectionSettingsSchema.safeParse(row.settings);
  return {
    channel,
    status: row.status,
    reason: row.status === "needs_reconnect" ? (row.statusReason ?? "The platform stopped accepting the saved credentials.") : null,
    displayName: row.displayName,
    externalAccountId: row.externalAccountId,
    tokenExpiresAt: row.tokenExpiresAt,
    email:
      channel === "email" && settings.success && row.externalAccountId
        ? { inboundAddress: row.externalAccountId, fromAddress: settings.data.fromAddress, fromName: settings.data.fromName ?? null }
        : null,
    sandbox: sandboxConnectionState(row.sandboxRunId, currentRunId),
  };
}
