/** The channels an owner connects on the Connections page, in the order it shows them. */
export const CONNECTABLE_CHANNELS = ["instagram", "whatsapp", "email"] as const;

export type ConnectableChannel = (typeof CONNECTABLE_CHANNELS)[number];
