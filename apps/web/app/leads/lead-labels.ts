import type { Channel, LeadStatus } from "@audnix/db";

export const CHANNEL_NAMES = {
  instagram: "Instagram",
  whatsapp: "WhatsApp",
  email: "Email",
  sandbox: "Sandbox",
} as const satisfies Record<Channel, string>;

export const STATUS_NAMES = {
  new: "New",
  contacted: "Contacted",
  replied: "Replied",
  converted: "Converted",
  opted_out: "Opted out",
  lost: "Lost",
} as const satisfies Record<LeadStatus, string>;

export const CHANNELS = Object.keys(CHANNEL_NAMES) as Channel[];
export const STATUSES = Object.keys(STATUS_NAMES) as LeadStatus[];
