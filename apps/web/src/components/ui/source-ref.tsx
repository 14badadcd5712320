import type { SourceRef as SourceRefData } from '@vbp/contracts/api';
import { useI18n } from '../../lib/i18n/i18n-context';

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** A document and clause: 《关于…的报告》 一(四)2 · 北京市医疗保障局 2024-07-25. */
export function SourceRef({ source, fallbackUrl }: { source: SourceRefData; fallbackUrl?: string | null }) {
  const { t } = useI18n();
  const url = source.url ?? fallbackUrl ?? null;
  if (!source.titleZh) {
    return (
      <span className="source">
        {url ? (
          <a href={url} target="_blank" rel="noreferrer noopener">
            {hostOf(url)}
          </a>
        ) : (
          <span className="muted">{t.common.sourceUnknown}</span>
        )}
        {source.clause ? <span className="source__clause"> · {source.clause}</span> : null}
      </span>
    );
  }
  const title = <cite lang="zh-CN">《{source.titleZh}》</cite>;
  return (
    <span className="source">
      {url ? (
        <a href={url} target="_blank" rel="noreferrer noopener">
          {title}
        </a>
      ) : (
        title
      )}
      {source.clause ? <span className="source__clause"> {source.clause}</span> : null}
      {source.issuer || source.issuedOn ? (
        <span className="source__meta">
          {' · '}
          {[source.issuer, source.issuedOn].filter(Boolean).join(' ')}
        </span>
      ) : null}
    </span>
  );
}

/** Plain-text form for footnotes and titles. */
export function sourceText(source: SourceRefData, unknown: string): string {
  if (!source.titleZh) return source.clause ? `${unknown} · ${source.clause}` : unknown;
  return `《${source.titleZh}》${source.clause ? ` ${source.clause}` : ''}`;
}

/** A short citation for a line under a number: issuer, date and clause (the full title is in the details). */
export function shortSourceText(source: SourceRefData, unknown: string): string {
  const parts = [source.issuer, source.issuedOn, source.clause].filter((p): p is string => Boolean(p));
  if (parts.length === 0) return source.titleZh ? `《${source.titleZh}》` : unknown;
  return parts.join(' ');
}
