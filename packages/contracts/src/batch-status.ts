/**
 * A batch's status in a region on a date (zod-free, so the web app's filters can read it without zod).
 * The rule, applied by the API (packages/core/src/queries/batches.ts) to the batch's implementations in
 * the chosen region, or in every region when none is chosen (or 全国):
 * 1. `renewed` 已接续: a batch that renews this one (接续采购) has started there on or before the date;
 * 2. `unrecorded` 无落地记录: no implementation of the batch is recorded there;
 * 3. `upcoming` 尚未落地: implementations are recorded, but none has started by the date;
 * 4. `running` 协议期内: one has started and its published contract end is on or after the date;
 * 5. `end_unknown` 已落地（协议期满未公布）: one has started, and no end is published for it (so whether the
 *    contract still runs is not known: an implementations upload with the contract end settles it);
 * 6. `ended` 协议期满: every implementation that started has a contract end before the date.
 * The first that applies wins.
 */
export const BATCH_STATUSES = ['upcoming', 'running', 'end_unknown', 'ended', 'renewed', 'unrecorded'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** The order the rule is applied in (and explained in). */
export const BATCH_STATUS_RULE_ORDER: readonly BatchStatus[] = ['renewed', 'unrecorded', 'upcoming', 'running', 'end_unknown', 'ended'];
