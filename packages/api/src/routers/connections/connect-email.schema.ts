import { z } from "zod";

const address = (field: string) => z.string().trim().toLowerCase().pipe(z.email({ error: `Enter a valid ${field}.` }));

// No inbound address: the platform assigns each account its own (connect-email.handler.ts). An
// owner-chosen one let anyone claim a business's address and receive its mail.
export const connectEmailInput = z.object({
  fromAddress: address("from address"),
  fromName: z
    .string()
    .trim()
    .max(80, { error: "Keep the from name under 80 characters." })
    .optional()
    .transform((name) => (name ? name : undefined)),
  smtp: z.object({
    host: z
      .string()
      .trim()
      .min(1, { error: "Enter the SMTP host." })
      .max(253, { error: "That host name is too long." })
      .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, { error: "Enter a host name such as smtp.example.com." }),
    port: z.coerce
      .number({ error: "Enter the SMTP port." })
      .int({ error: "Enter the SMTP port." })
      .min(1, { error: "The port is between 1 and 65535." })
      .max(65535, { error: "The port is between 1 and 65535." }),
    secure: z.boolean(),
    user: z.string().trim().min(1, { error: "Enter the SMTP user name." }).max(320),
    password: z.string().min(1, { error: "Enter the SMTP password." }).max(1024),
  }),
});

export type ConnectEmailInput = z.output<typeof connectEmailInput>;
