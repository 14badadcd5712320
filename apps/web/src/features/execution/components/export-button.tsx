import { useRef, useState } from 'react';
import { errorText } from '../../../components/ui/error-notice';
import { formatCount } from '../../../lib/format';
import { useExecutionText } from '../i18n/use-execution-text';
import { downloadExport, type ExportResult } from '../api/download-export';

type State = { phase: 'idle' } | { phase: 'busy'; received: number } | { phase: 'done'; result: ExportResult } | { phase: 'error'; error: unknown };

function bytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** 导出 Excel: downloads every row of the filter, showing the bytes received while it comes. */
export function ExportButton({ url }: { url: string }) {
  const { x, lang } = useExecutionText();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const running = useRef<AbortController | null>(null);
  const start = async () => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setState({ phase: 'busy', received: 0 });
    try {
      const result = await downloadExport(url, (p) => setState({ phase: 'busy', received: p.received }), controller.signal);
      setState({ phase: 'done', result });
    } catch (error) {
      if (!controller.signal.aborted) setState({ phase: 'error', error });
    }
  };
  const status = (() => {
    switch (state.phase) {
      case 'busy':
        return x.exporting(bytes(state.received));
      case 'done': {
        const { exportedRows, totalRows } = state.result;
        if (exportedRows === null || totalRows === null) return '';
        const args = [formatCount(exportedRows, lang), formatCount(totalRows, lang)] as const;
        return exportedRows < totalRows ? x.exportCapped(...args) : x.exportDone(...args);
      }
      case 'error':
        return `${x.exportFailed}：${errorText(state.error, lang)}`;
      default:
        return '';
    }
  })();
  return (
    <div className="exec-export">
      <button type="button" className="button" onClick={() => void start()} disabled={state.phase === 'busy'} title={x.exportHint} aria-describedby="exec-export-status" data-testid="exec-export">
        {state.phase === 'busy' ? <span className="exec-spinner" aria-hidden="true" /> : (
          <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M8 2v8M4.5 6.8L8 10.3l3.5-3.5M3 13.5h10" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        )}
        {x.export}
      </button>
      <span id="exec-export-status" className={`exec-export__status${state.phase === 'error' ? ' exec-export__status--error' : ''}`} role="status" aria-live="polite" data-testid="exec-export-status" data-phase={state.phase}>
        {status}
      </span>
    </div>
  );
}
