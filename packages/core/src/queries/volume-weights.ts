/**
 * The weights of the volume-weighted cuts (the overview's and a batch's): each selected product weighs the
 * volumes agreed for it, plus an equal share of the volumes agreed for its variety in its batch (see getBatch
 * for the rule). Read from agreed_volume_sums (a few thousand rows per province, kept by
 * summaries/maintain.ts), not from the hundreds of thousands of agreed volumes.
 */
import { sql, type SQL } from 'drizzle-orm';

/**
 * `per_variety` (batch_id, variety_id, quantity) and `per_product` (batch_id, product_id, quantity): common
 * table expressions over the sums that `condition` (on alias `av`) selects.
 */
export function volumeWeightTables(condition: SQL): SQL {
  return sql`per_variety as (
      select av.batch_id, av.variety_id, sum(av.quantity) as quantity
      from agreed_volume_sums av where ${condition} and av.product_id = 0 group by 1, 2
    ), per_product as (
      select av.batch_id, av.product_id, sum(av.quantity) as quantity
      from agreed_volume_sums av where ${condition} and av.product_id <> 0 group by 1, 2
    )`;
}

/** Joins `per_product pp` and `per_variety pv` to selections `sp` of products `p`. */
export const joinVolumeWeights = sql`left join per_product pp on pp.batch_id = sp.batch_id and pp.product_id = p.id
  left join per_variety pv on pv.batch_id = sp.batch_id and pv.variety_id = p.variety_id`;

/** A selection's weight (text), once joined: its own volumes and its share of its variety's. */
export const volumeWeight = sql`(coalesce(pp.quantity, 0) + coalesce(pv.quantity / count(*) over (partition by sp.batch_id, p.variety_id), 0))::text`;
