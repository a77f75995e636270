import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Request and job logs share these settings; secrets never reach a log line. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.new_password',
        '*.current_password',
        '*.refresh_token',
        '*.access_token',
        '*.code',
      ],
      censor: '[redacted]',
    },
  };
}

export const createLogger = (level: string): Logger => pino(loggerOptions(level));
