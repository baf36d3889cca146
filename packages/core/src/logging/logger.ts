import { redactor } from "./redact.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;
export type LogMethod = (message: string, fields?: LogFields) => void;

export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** A logger whose every line also carries `bindings` (request id, job id, ...). */
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  /** Lines below this level are dropped. */
  level: LogLevel;
  /** Receives one JSON document per call, without a trailing newline. */
  sink: (line: string) => void;
  /** Known secret values (passwords, keys) that must never reach the sink. */
  secrets?: readonly string[];
  /** Fields on every line (service name, version). */
  base?: LogFields;
  now?: () => Date;
}

// time, level and msg frame every line; a field with the same name must not forge them.
const RESERVED = new Set(["time", "level", "msg"]);

export function createLogger(options: LoggerOptions): Logger {
  const redact = redactor(options.secrets ?? []);
  const now = options.now ?? (() => new Date());
  const threshold = LOG_LEVELS.indexOf(options.level);

  const build = (bindings: LogFields): Logger => {
    const write = (level: LogLevel, message: string, fields?: LogFields): void => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      const line: LogFields = { time: now().toISOString(), level, msg: redact.string(message) };
      const extra = redact.fields({ ...bindings, ...fields });
      for (const [key, value] of Object.entries(extra)) {
        if (!RESERVED.has(key)) line[key] = value;
      }
      options.sink(JSON.stringify(line));
    };
    return {
      debug: (message, fields) => write("debug", message, fields),
      info: (message, fields) => write("info", message, fields),
      warn: (message, fields) => write("warn", message, fields),
      error: (message, fields) => write("error", message, fields),
      child: (more) => build({ ...bindings, ...more }),
    };
  };

  return build({ ...options.base });
}
