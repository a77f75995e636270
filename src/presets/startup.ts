/**
 * Which product a process runs. ATELIER_PRESET wins, and the API process applies it at start (only
 * what is absent is added, apply.ts); without it, the preset the database records (`init --preset`,
 * or an earlier start) is run; with neither, `all`. Workers only read: the API writes.
 */
import { configWithPreset, type Config } from '../config.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/types.ts';
import type { Logger } from '../platform/logger.ts';
import { applyPreset, recordedPreset } from './apply.ts';
import { isPresetName } from './presets.ts';

interface Parts {
  config: Config;
  database: { db: Db };
  clock: Clock;
  log: Logger;
}

export async function settlePreset(parts: Parts, env: Record<string, string | undefined>, opts: { apply: boolean }): Promise<Config> {
  const { config, database, clock, log } = parts;
  if (config.preset.explicit) {
    if (opts.apply) {
      const applied = await applyPreset(database.db, clock, config.preset.name);
      log.info({ preset: applied.preset, mode: applied.mode, written: applied.written }, 'preset applied');
    }
    return config;
  }
  const recorded = await recordedPreset(database.db);
  return recorded && isPresetName(recorded) && recorded !== config.preset.name ? configWithPreset(env, recorded) : config;
}
