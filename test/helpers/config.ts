/** What loadConfig refuses in an environment: the problems of its ConfigError (fails the test if it accepts it). */
import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

export function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}
