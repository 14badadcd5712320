/**
 * A province's thresholds (issue 14): the time-progress warning threshold and the contract alert days.
 * No stored row means the defaults. Changed by the province's office or an administrator (national users for
 * any region), audited with before/after; the change moves the region's settings version, so every cached answer
 * that used the old threshold (execution lists, the summary, the follow-ups, the alerts) is computed again.
 */
import { eq } from 'drizzle-orm';
import { DEFAULT_CONTRACT_ALERT_DAYS, DEFAULT_PROGRESS_WARNING_THRESHOLD } from '@vbp/contracts/enums';
import type { RegionSettingsView, ThresholdUsed, UpdateRegionSettingsInput } from '@vbp/contracts/settings';
import type { Db } from '@vbp/db';
import { regionSettings } from '@vbp/db/schema';
import { writeAudit } from './audit';
import { assertMay, type Actor } from './auth/actor';
import { touchData } from './data-version';
import { DomainError } from './errors';
import { getRegion } from './queries/regions';

type SettingsRow = typeof regionSettings.$inferSelect;

function viewOf(regionCode: string, row: SettingsRow | undefined): RegionSettingsView {
  if (!row)
    return {
      regionCode,
      progressWarningThreshold: DEFAULT_PROGRESS_WARNING_THRESHOLD,
      contractAlertDays: [...DEFAULT_CONTRACT_ALERT_DAYS],
      isDefault: true,
      updatedAt: null,
      updatedBy: null,
    };
  return {
    regionCode,
    progressWarningThreshold: Number(row.progressWarningThreshold),
    contractAlertDays: [...row.contractAlertDays].sort((a, b) => b - a),
    isDefault: false,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

async function settingsRow(db: Db, regionCode: string): Promise<SettingsRow | undefined> {
  const [row] = await db.select().from(regionSettings).where(eq(regionSettings.regionCode, regionCode));
  return row;
}

/** The region's settings (the defaults when none are stored). Unknown regions are 404. */
export async function getRegionSettings(db: Db, regionCode: string): Promise<RegionSettingsView> {
  const region = await getRegion(db, regionCode);
  return viewOf(region.code, await settingsRow(db, region.code));
}

/** The warning threshold a read uses: the request's when it gives one, else the region's setting, else the default. */
export async function resolveThreshold(db: Db, regionCode: string, requested: number | undefined): Promise<ThresholdUsed> {
  if (requested !== undefined) return { threshold: requested, thresholdSource: 'request' };
  const row = await settingsRow(db, regionCode);
  return row
    ? { threshold: Number(row.progressWarningThreshold), thresholdSource: 'setting' }
    : { threshold: DEFAULT_PROGRESS_WARNING_THRESHOLD, thresholdSource: 'default' };
}

/** The alert days a region uses (descending) and whether they are its own setting. */
export async function resolveAlertDays(db: Db, regionCode: string): Promise<{ days: number[]; source: 'setting' | 'default' }> {
  const row = await settingsRow(db, regionCode);
  return row ? { days: [...row.contractAlertDays].sort((a, b) => b - a), source: 'setting' } : { days: [...DEFAULT_CONTRACT_ALERT_DAYS], source: 'default' };
}

const auditable = (view: RegionSettingsView) => ({ progressWarningThreshold: view.progressWarningThreshold, contractAlertDays: view.contractAlertDays, isDefault: view.isDefault });

/** Changes a region's settings (what is not given keeps its value); one transaction with its audit row. */
export async function updateRegionSettings(
  db: Db,
  actor: Actor,
  regionCode: string,
  input: Omit<UpdateRegionSettingsInput, 'regionCode'>,
): Promise<RegionSettingsView> {
  assertMay(actor, 'write:settings', { regionCode });
  if (input.progressWarningThreshold === undefined && input.contractAlertDays === undefined)
    throw new DomainError('INVALID_INPUT', `Nothing to change in the settings of region ${regionCode}`, `未提供要修改的设置（地区 ${regionCode}）`, { regionCode });
  const region = await getRegion(db, regionCode);
  return db.transaction(async (tx) => {
    const row = await settingsRow(tx, region.code);
    const before = viewOf(region.code, row);
    const values = {
      progressWarningThreshold: (input.progressWarningThreshold ?? before.progressWarningThreshold).toFixed(3),
      contractAlertDays: input.contractAlertDays ?? before.contractAlertDays,
      updatedAt: new Date(),
      updatedBy: actor.username,
    };
    const [saved] = row
      ? await tx.update(regionSettings).set(values).where(eq(regionSettings.regionCode, region.code)).returning()
      : await tx.insert(regionSettings).values({ regionCode: region.code, ...values }).returning();
    const after = viewOf(region.code, saved);
    await writeAudit(tx, actor, { action: row ? 'update' : 'create', entity: 'region_settings', entityId: region.code, regionCode: region.code, before: auditable(before), after: auditable(after) });
    await touchData(tx, 'settings', region.code);
    return after;
  });
}
