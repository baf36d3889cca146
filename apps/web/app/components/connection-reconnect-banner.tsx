import { Link } from "@remix-run/react";

const channelNames = { instagram: "Instagram", whatsapp: "WhatsApp", email: "Email" } as const;

interface ReconnectBannerProps {
  channels: { channel: keyof typeof channelNames; reason: string | null }[];
}

/** Follow-ups on a channel stop while it needs reconnecting; the owner hears about it on every page. */
export function ConnectionReconnectBanner({ channels }: ReconnectBannerProps) {
  if (channels.length === 0) return null;
  return (
    <div className="banner" role="alert" data-testid="reconnect-banner">
      {channels.map(({ channel, reason }) => (
        <p key={channel} className="banner__line">
          {channelNames[channel]} needs reconnecting{reason ? `: ${reason}` : "."} —{" "}
          <Link to="/dashboard/connections">Reconnect</Link>
        </p>
      ))}
    </div>
  );
}
