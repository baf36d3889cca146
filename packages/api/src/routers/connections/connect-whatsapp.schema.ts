import { z } from "zod";

export const connectWhatsappInput = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,25}$/, { error: "Enter the phone number id (digits only) from WhatsApp > API setup in Meta's developer dashboard." }),
  accessToken: z.string().trim().min(1, { error: "Enter the access token." }).max(2048, { error: "That access token is too long." }),
});

export type ConnectWhatsappInput = z.output<typeof connectWhatsappInput>;
