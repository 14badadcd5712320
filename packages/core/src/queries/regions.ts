import { asc, eq } from 'drizzle-orm';
import type { Region } from '@vbp/contracts/api';
import type { Db } from '@vbp/db';
import { regions } from '@vbp/db/schema';
import { notFound } from '../errors';

const columns = {
  code: regions.code,
  nameZh: regions.nameZh,
  shortNameZh: regions.shortNameZh,
  nameEn: regions.nameEn,
  kind: regions.kind,
};

/** The nation first, then provinces in the GB/T 2260 order, XPCC last. */
export function listRegions(db: Db): Promise<Region[]> {
  return db.select(columns).from(regions).orderBy(asc(regions.sortOrder), asc(regions.code));
}

export async function getRegion(db: Db, code: string): Promise<Region> {
  const [region] = await db.select(columns).from(regions).where(eq(regions.code, code));
  if (!region) throw notFound('region', '地区', code);
  return region;
}
