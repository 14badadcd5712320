import type { UploadCounts as Counts, UploadKind } from '@vbp/contracts/uploads';
import { formatCount } from '../../../lib/format';
import { useUploadText } from '../i18n/use-upload-text';

type CountKey = keyof Counts;

/** The file's rows, then (where the API compared them with the database) what a commit changes. */
const FILE_KEYS: CountKey[] = ['rows', 'valid', 'invalid', 'skipped', 'notSelected'];
const COMPARE_KEYS: CountKey[] = ['new', 'changed', 'unchanged', 'withoutPrice', 'placeholdersReplaced', 'institutionsCreated'];
/** Counts shown only when the file has some (most results tables price every strength). */
const ONLY_WHEN_ANY: ReadonlySet<CountKey> = new Set(['withoutPrice']);

/**
 * The report's headline numbers. Each says what it counts (label, unit, a one-line definition). Counts
 * the API leaves out for a kind (not-selected bids outside batch results, say) are not shown, nor the
 * comparison with the database (`compared` false) for a file that cannot be committed.
 */
export function UploadCounts({ counts, kind, compared }: { counts: Counts; kind: UploadKind; compared: boolean }) {
  const { u } = useUploadText();
  const present = (keys: CountKey[]) =>
    keys.filter((k) => counts[k] !== undefined && (k !== 'notSelected' || kind === 'batch-results') && (!ONLY_WHEN_ANY.has(k) || (counts[k] ?? 0) > 0));
  // A file with errors is not compared with the database: its zeros there would mean nothing.
  const compare = compared ? present(COMPARE_KEYS) : [];
  return (
    <div className="upload-counts" data-testid="upload-counts">
      <dl className="count-grid">
        {present(FILE_KEYS).map((k) => (
          <CountCard key={k} name={k} value={counts[k] ?? 0} />
        ))}
      </dl>
      {compare.length > 0 ? (
        <>
          <h3 className="upload-counts__group">{u.countsAfterCommit}</h3>
          <dl className="count-grid">
            {compare.map((k) => (
              <CountCard key={k} name={k} value={counts[k] ?? 0} />
            ))}
          </dl>
        </>
      ) : null}
    </div>
  );
}

function CountCard({ name, value }: { name: CountKey; value: number }) {
  const { u, lang } = useUploadText();
  const c = u.counts[name];
  const tone = name === 'invalid' && value > 0 ? ' count-card--bad' : name === 'placeholdersReplaced' && value > 0 ? ' count-card--note' : '';
  return (
    <div className={`count-card${tone}`} data-testid={`count-${name}`} data-value={value}>
      <dt className="count-card__label">{c.label}</dt>
      <dd className="count-card__value">
        <span className="count-card__num num" data-testid={`count-${name}-value`}>
          {formatCount(value, lang)}
        </span>
        <span className="count-card__unit">{lang === 'zh' ? c.unit : ` ${c.unit}`}</span>
      </dd>
      <dd className="count-card__note">{c.note}</dd>
    </div>
  );
}
