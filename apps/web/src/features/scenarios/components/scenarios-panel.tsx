import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { addMonths } from '@vbp/contracts/dates';
import type { ScenarioProjection, ScenarioTargetProjection, ScenarioView } from '@vbp/contracts/scenarios';
import { ChartDataTable } from '../../../components/charts/chart-data-table';
import { ConfirmDialog, Dialog } from '../../../components/ui/dialog';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { EmptyState, Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { useToast } from '../../../components/ui/toast';
import { useCan } from '../../../lib/auth/can';
import { formatCount, formatDate, formatPercent } from '../../../lib/format';
import { useActualCoverage, useDeleteScenario, useScenarioList, useScenarioProjections } from '../api/scenarios';
import { useScenariosText } from '../i18n/use-scenarios-text';
import { buildScenarioChartData } from '../utils/scenario-chart-data';
import { knownSelection, MAX_COMPARED, readScenarioSelection, toggleScenario, writeScenarioSelection } from '../utils/scenario-selection';
import './scenarios.css';

const ScenarioForm = lazy(() => import('./scenario-form'));
const ScenarioChart = lazy(() => import('./scenario-chart'));

type Editing = { kind: 'create' } | { kind: 'edit'; scenario: ScenarioView } | { kind: 'delete'; scenario: ScenarioView } | null;

function useTargetLabel() {
  const { t, lang } = useScenariosText();
  return (x: Pick<ScenarioTargetProjection, 'productType' | 'unit' | 'count' | 'dueOn'>) => `${t.types[x.productType]} ${formatCount(x.count, lang)} ${t.unitNames[x.unit]} · ${formatDate(x.dueOn)}`;
}

/**
 * 规划 on the 目标 page: the province's scenarios, one to three of them selected in the URL (`?scenario=3`,
 * `?compare=3,5`) and compared with the baseline per target (projected count at the due date, met date), and
 * drawn as dashed lines on a coverage chart. Offices add, change and delete their province's; leaders read.
 */
export function ScenariosPanel({ region }: { region: string | null }) {
  const { s } = useScenariosText();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const list = useScenarioList(region);
  const canWrite = useCan('write:scenario', region);
  const [editing, setEditing] = useState<Editing>(null);
  const remove = useDeleteScenario();
  const items = list.data?.items;
  const selected = items ? knownSelection(readScenarioSelection(params), items) : readScenarioSelection(params);
  const select = (ids: number[]) => setParams((prev) => writeScenarioSelection(prev, ids), { replace: false });
  const restore = useCallback((ids: number[]) => setParams((prev) => writeScenarioSelection(prev, ids), { replace: true }), [setParams]);
  useRememberedSelection(region, readScenarioSelection(params).join(','), restore);
  const close = () => {
    setEditing(null);
    remove.reset();
  };

  return (
    <Panel
      title={
        <>
          <span className="scenario-tag">{s.label}</span> {s.title}
        </>
      }
      description={s.description}
      busy={list.isFetching && list.data !== undefined}
      testId="scenarios-panel"
      actions={
        region && canWrite ? (
          <button type="button" className="button button--small" onClick={() => setEditing({ kind: 'create' })} data-testid="add-scenario">
            {s.add}
          </button>
        ) : null
      }
    >
      {region === null ? (
        <EmptyState>{s.pickRegion}</EmptyState>
      ) : (
        <QueryContent query={list} isEmpty={(d) => d.items.length === 0} empty={canWrite ? s.empty : s.emptyReadOnly} skeleton={<Skeleton lines={3} />}>
          {(data) => (
            <>
              <ScenarioTable items={data.items} selected={selected} canWrite={canWrite} onToggle={(id) => select(toggleScenario(selected, id))} onEdit={(scenario) => setEditing({ kind: 'edit', scenario })} onDelete={(scenario) => setEditing({ kind: 'delete', scenario })} />
              {selected.length > 0 ? <Comparison ids={selected} region={region} /> : <p className="muted">{s.compareNone}</p>}
            </>
          )}
        </QueryContent>
      )}

      <Dialog open={editing?.kind === 'create' || editing?.kind === 'edit'} onClose={close} wide testId="scenario-dialog" title={editing?.kind === 'edit' ? s.formTitleEdit(editing.scenario.name) : s.formTitleAdd}>
        <Suspense fallback={<Skeleton lines={8} />}>
          {region && (editing?.kind === 'create' || editing?.kind === 'edit') ? (
            <ScenarioForm
              regionCode={region}
              scenario={editing.kind === 'edit' ? editing.scenario : undefined}
              onCancel={close}
              onDone={(outcome, view) => {
                close();
                toast.notify(outcome === 'created' ? s.created : s.updated);
                if (outcome === 'created') select(toggleScenario(selected, view.id));
              }}
            />
          ) : null}
        </Suspense>
      </Dialog>
      <ConfirmDialog
        open={editing?.kind === 'delete'}
        onClose={close}
        testId="delete-scenario-dialog"
        title={s.deleteTitle}
        body={editing?.kind === 'delete' ? s.deleteBody(editing.scenario.name) : ''}
        confirmLabel={s.deleteConfirm}
        pendingLabel={s.deleting}
        pending={remove.isPending}
        danger
        error={remove.isError ? <ErrorNotice error={remove.error} /> : null}
        onConfirm={() => {
          if (editing?.kind !== 'delete') return;
          const id = editing.scenario.id;
          remove.mutate(id, {
            onSuccess: () => {
              close();
              select(selected.filter((x) => x !== id));
              toast.notify(s.deleted);
            },
          });
        }}
      />
    </Panel>
  );
}

/**
 * The selection lives in the URL; coming back to 目标 without it (the navigation's link) restores the last
 * one shown for the region in this tab, once, so a plan chosen a moment ago is still chosen. Clearing the
 * selection clears what is remembered.
 */
function useRememberedSelection(region: string | null, current: string, restore: (ids: number[]) => void) {
  const restoredFor = useRef<string | null>(null);
  useEffect(() => {
    if (region === null) return;
    const key = `vbp:scenarios:${region}`;
    if (restoredFor.current !== key) {
      restoredFor.current = key;
      const stored = current ? null : sessionStorage.getItem(key);
      const ids = stored ? readScenarioSelection(new URLSearchParams({ compare: stored })) : [];
      if (ids.length > 0) {
        restore(ids);
        return;
      }
    }
    if (current) sessionStorage.setItem(key, current);
    else sessionStorage.removeItem(key);
  }, [region, current, restore]);
}

function ScenarioTable(props: { items: ScenarioView[]; selected: number[]; canWrite: boolean; onToggle: (id: number) => void; onEdit: (s: ScenarioView) => void; onDelete: (s: ScenarioView) => void }) {
  const { s } = useScenariosText();
  return (
    <>
      <p className="muted" aria-live="polite" data-testid="scenario-selected">
        {s.selected(props.selected.length, MAX_COMPARED)}
      </p>
      <ul className="scenario-list" data-testid="scenario-list">
        {props.items.map((x) => (
          <li key={x.id} className="scenario-list__item" data-testid="scenario-row" data-id={x.id}>
            <label className="scenario-list__pick">
              <input type="checkbox" checked={props.selected.includes(x.id)} onChange={() => props.onToggle(x.id)} data-testid="scenario-show" />
              <span className="scenario-tag">{s.label}</span>
              <span className="cell-main" data-testid="scenario-name">
                {x.name}
              </span>
            </label>
            <span className="muted">
              {s.batches(x.batches.length)} · {s.createdBy(x.createdBy)}
              {x.note ? ` · ${x.note}` : ''}
            </span>
            {props.canWrite ? (
              <span className="row-actions">
                <button type="button" className="button button--small" onClick={() => props.onEdit(x)} aria-label={`${s.edit} ${x.name}`} data-testid="edit-scenario">
                  {s.edit}
                </button>
                <button type="button" className="button button--small button--danger-quiet" onClick={() => props.onDelete(x)} aria-label={`${s.delete} ${x.name}`} data-testid="delete-scenario">
                  {s.delete}
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The selected scenarios side by side: per target the baseline and each scenario; then each one's batches. */
function Comparison({ ids, region }: { ids: number[]; region: string }) {
  const { s, lang } = useScenariosText();
  const label = useTargetLabel();
  const queries = useScenarioProjections(ids);
  const failed = queries.find((q) => q.isError);
  const projections = queries.map((q) => q.data).filter((p): p is ScenarioProjection => p !== undefined);
  if (failed && projections.length < ids.length) return <ErrorNotice error={failed.error} onRetry={() => void failed.refetch()} />;
  if (projections.length < ids.length) return <Skeleton lines={4} />;
  const targets = projections[0]!.targets;
  const met = (d: string | null) => (d === null ? s.never : formatDate(d));
  const atDue = (v: number | null) => (v === null ? s.duePassed : formatCount(Math.round(v), lang));

  return (
    <div className="scenario-compare" data-testid="scenario-compare">
      <h3 className="scenario-compare__title">{s.compareTitle}</h3>
      <div className="table-scroll">
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">{s.colTarget}</th>
              <th scope="col">{s.colBaseline}</th>
              {projections.map((p) => (
                <th scope="col" key={p.scenario.id}>
                  <span className="scenario-tag">{s.label}</span> {p.scenario.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {targets.map((target) => (
              <tr key={target.targetId} data-testid="scenario-target" data-target={target.targetId}>
                <th scope="row">{label(target)}</th>
                <td data-testid="baseline-cell">
                  <div>
                    {s.projectedAtDue} <span data-testid="baseline-at-due">{atDue(target.baseline.projectedAtDue)}</span>
                  </div>
                  <div>
                    {s.metOn} <span data-testid="baseline-met">{met(target.baseline.metOn)}</span>
                  </div>
                </td>
                {projections.map((p) => {
                  const mine = p.targets.find((x) => x.targetId === target.targetId);
                  return (
                    <td key={p.scenario.id} data-testid="scenario-cell" data-scenario={p.scenario.id}>
                      {mine ? (
                        <>
                          <div>
                            {s.projectedAtDue} <span data-testid="scenario-at-due">{atDue(mine.scenario.projectedAtDue)}</span>
                          </div>
                          <div>
                            {s.metOn} <span data-testid="scenario-met">{met(mine.scenario.metOn)}</span>
                          </div>
                          {!mine.applies ? <div className="muted">{s.notApplied}</div> : null}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="scenario-compare__details">
        {projections.map((p) => (
          <ScenarioDetails key={p.scenario.id} projection={p} />
        ))}
      </div>
      <ScenarioChartFigure projections={projections} region={region} />
    </div>
  );
}

function ScenarioDetails({ projection }: { projection: ScenarioProjection }) {
  const { s, lang } = useScenariosText();
  return (
    <section className="scenario-details" data-testid="scenario-details" data-scenario={projection.scenario.id}>
      <h4>
        <span className="scenario-tag">{s.label}</span> {projection.scenario.name} · <span data-testid="scenario-net-new">{s.netNew(projection.netNewVarieties)}</span>
      </h4>
      <ul>
        {projection.batches.map((b) => (
          <li key={b.position}>
            {b.name}（{formatDate(b.implementationDate)}）：
            {b.basis === 'count' ? s.countBasis(b.planned, formatPercent(Number(projection.scenario.batches.find((x) => x.position === b.position)?.coveredShare ?? 0)), b.netNewVarieties) : s.listBasis(b.planned, b.netNewVarieties)}
            {b.repeated.length ? `；${s.repeated}：${b.repeated.join('、')}` : ''}
          </li>
        ))}
      </ul>
      <p data-testid="scenario-overlap">
        {s.overlapTitle}：{projection.overlap.length === 0 ? s.overlapNone : projection.overlap.map((o) => `${o.name} → ${o.variety.nameZh}`).join('、')}
      </p>
      <details>
        <summary>{s.assumptions}</summary>
        <ul>
          {projection.assumptions.map((a) => (
            <li key={a.en}>{lang === 'en' ? a.en : a.zh}</li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function ScenarioChartFigure({ projections, region }: { projections: ScenarioProjection[]; region: string }) {
  const { t, s, lang } = useScenariosText();
  const label = useTargetLabel();
  const id = useId();
  const first = projections[0]!;
  const [targetId, setTargetId] = useState<number | null>(null);
  // opens on the first target still to be met (a met one has nothing left to plan)
  const target = first.targets.find((x) => x.targetId === targetId) ?? first.targets.find((x) => x.applies && x.current < x.count) ?? first.targets.find((x) => x.applies) ?? first.targets[0];
  const actual = useActualCoverage(target ? { region, type: target.productType, unit: target.unit, from: addMonths(first.asOf, -24), to: first.asOf } : null);
  const data = useMemo(
    () =>
      target && actual.data
        ? buildScenarioChartData({ actual: actual.data.points, asOf: first.asOf, scenarios: projections.map((p) => ({ id: p.scenario.id, name: p.scenario.name, target: p.targets.find((x) => x.targetId === target.targetId) })) })
        : null,
    [target, actual.data, projections, first.asOf],
  );
  if (!target) return null;
  const met = (d: string | null) => (d === null ? s.never : formatDate(d));
  const summary = s.chartSummary({
    target: label(target),
    baseline: met(target.baseline.metOn),
    scenarios: projections.map((p) => s.chartScenarioSummary(p.scenario.name, met(p.targets.find((x) => x.targetId === target.targetId)?.scenario.metOn ?? null))),
  });
  return (
    <figure className="chart-figure scenario-chart" data-testid="scenario-chart">
      <div className="scenario-chart__head">
        <h3 className="scenario-compare__title">{s.chartTitle}</h3>
        <label htmlFor={id}>{s.chartTarget}</label>
        <select id={id} className="input" value={target.targetId} onChange={(e) => setTargetId(Number(e.target.value))} data-testid="scenario-chart-target">
          {first.targets.map((x) => (
            <option key={x.targetId} value={x.targetId}>
              {label(x)}
            </option>
          ))}
        </select>
      </div>
      <figcaption className="chart-figure__summary" data-testid="scenario-chart-summary">
        {summary}
      </figcaption>
      <QueryContent query={actual} skeleton={<Skeleton height={320} />}>
        {() =>
          data ? (
            <>
              <div className="chart-figure__plot" aria-hidden="true" style={{ minHeight: 320 }}>
                <Suspense fallback={<Skeleton height={320} />}>
                  <ScenarioChart data={data} labels={{ actual: s.chartActual, baseline: s.chartBaseline, scenario: s.chartScenario, target: s.chartTargetLine }} formatValue={(v) => formatCount(Math.round(v), lang)} />
                </Suspense>
              </div>
              <ChartDataTable toggle={t.common.showData} caption={summary} columns={[s.chartDate, s.chartActual, s.chartBaseline, ...data.series.map((x) => s.chartScenario(x.name))]} testId="scenario-chart-table">
                {data.rows.map((r) => (
                  <tr key={r.date}>
                    <th scope="row">{formatDate(r.date)}</th>
                    <td className="num">{r.actual === null ? '—' : formatCount(r.actual, lang)}</td>
                    <td className="num">{r.baseline === null ? '—' : formatCount(Math.round(r.baseline), lang)}</td>
                    {data.series.map((x) => {
                      const v = r[`s${x.id}`];
                      return (
                        <td key={x.key} className="num">
                          {v === null || v === undefined ? '—' : formatCount(Math.round(v), lang)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </ChartDataTable>
            </>
          ) : null
        }
      </QueryContent>
    </figure>
  );
}
