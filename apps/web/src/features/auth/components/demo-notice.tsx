import { ROLE_LABELS } from '@vbp/contracts/roles';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../utils/demo-accounts';

/** Shown on the login page when the server runs in demo mode: the demo accounts, one click to fill the form. */
export function DemoNotice({ onPick }: { onPick: (username: string, password: string) => void }) {
  const { t, lang } = useI18n();
  return (
    <section className="demo-notice" aria-labelledby="demo-notice-title" data-testid="demo-notice">
      <h2 id="demo-notice-title" className="demo-notice__title">
        {t.auth.demoTitle}
      </h2>
      <p>
        {t.auth.demoBody} <code data-testid="demo-password">{DEMO_PASSWORD}</code>
      </p>
      <table className="table table--compact demo-notice__table">
        <thead>
          <tr>
            <th scope="col">{t.auth.demoAccount}</th>
            <th scope="col">{t.auth.demoRole}</th>
            <th scope="col">
              <span className="visually-hidden">{t.auth.signIn}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {DEMO_ACCOUNTS.map((a) => (
            <tr key={a.username}>
              <th scope="row" className="nowrap">
                <code>{a.username}</code>
              </th>
              <td>
                {ROLE_LABELS[a.role][lang]} · {a.region[lang]}
              </td>
              <td>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onPick(a.username, DEMO_PASSWORD)}
                  aria-label={t.auth.demoUse(a.username)}
                  data-testid={`demo-use-${a.username}`}
                >
                  {t.auth.demoFill}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="demo-notice__admin">{t.auth.demoAdmin}</p>
    </section>
  );
}
