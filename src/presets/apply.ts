/**
 * Applies a preset to the database: its catalogue and the record of which product this is.
 *
 * The rule (decision 040): while no one has an account, the installation is the preset's to shape —
 * its plans, packages, styles, templates and prices become exactly the preset's, and what the
 * migrations seeded for other products is deactivated (a fresh `headshots` installation does not
 * sell rial plans). Once anyone has signed up, a preset only adds what is absent: an admin's edit
 * or deactivation survives, and running it twice changes nothing (a row deleted outright is absent,
 * so it comes back: the admin screens deactivate). `all` only ever adds.
 * Everything happens in one transaction, so a failed apply leaves the catalogue as it was.
 */
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/types.ts';
import { catalogueOf } from './catalogue/index.ts';
import type { PresetName } from './presets.ts';
import * as q from './presets.queries.ts';

export interface PresetApplied {
  preset: PresetName;
  mode: q.Mode;
  /** Rows inserted (or, on a fresh installation, set to the preset's values) per table. */
  written: q.WriteCounts;
}

export async function applyPreset(db: Db, clock: Clock, preset: PresetName): Promise<PresetApplied> {
  return db.transaction(async (tx) => {
    const now = clock.now();
    const fresh = preset !== 'all' && (await q.accountCount(tx)) === 0;
    const mode: q.Mode = fresh ? 'set-exactly' : 'add-absent';
    const catalogue = catalogueOf(preset);
    const written = await q.writeCatalogue(tx, catalogue, mode, now);
    await q.addFirstMetrics(tx, catalogue.templates, now);
    await q.recordPreset(tx, preset, now);
    return { preset, mode, written };
  });
}

export const recordedPreset = q.recordedPreset;
