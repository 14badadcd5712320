import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LoginInput } from '@vbp/contracts/auth';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { isApiError } from '../../../lib/api';
import { useMe } from '../../../lib/auth/me';
import { safeNextPath } from '../../../lib/auth/redirect';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { validateWith, type FieldErrors } from '../../../lib/validation';
import { useHealth } from '../api/get-health';
import { useLogin } from '../api/login';
import { DemoNotice } from './demo-notice';

type LoginField = 'username' | 'password';

/**
 * 登录. Sends the user back where the guard found them (`?next=`, same-origin paths only). A refused sign-in
 * shows the API's message as it is: the same words whether or not the user exists, and the lockout.
 */
export function LoginPage() {
  const { t, lang } = useI18n();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next')) ?? '/';
  const navigate = useNavigate();
  const me = useMe();
  const health = useHealth();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<LoginField>>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t.auth.signInTitle} · ${t.app.name}`;
  }, [t]);

  // Already signed in (another tab, or the back button): go on.
  if (me.data && !login.isPending) return <Navigate to={next} replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateWith<LoginInput, LoginField>(LoginInput, { username: username.trim(), password }, lang, t.validation);
    if (!checked.ok) {
      setErrors(checked.errors);
      (checked.errors.username ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setErrors({});
    login.mutate(checked.data, {
      onSuccess: () => navigate(next, { replace: true }),
      onError: () => {
        setPassword('');
        passwordRef.current?.focus();
      },
    });
  };

  const locked = isApiError(login.error, 'TOO_MANY_ATTEMPTS');
  const retryMinutes = locked && login.error && isApiError(login.error) && login.error.retryAfterSeconds ? Math.max(1, Math.ceil(login.error.retryAfterSeconds / 60)) : null;

  return (
    <div className="auth-page" data-testid="login-page">
      <div className="auth-card">
        <h1 className="page__title">{t.auth.signInTitle}</h1>
        <p className="auth-card__intro">{t.auth.signInIntro}</p>
        <form className="form" onSubmit={onSubmit} noValidate aria-describedby={login.isError ? 'login-error' : undefined}>
          <Field label={t.auth.username} error={errors.username} required>
            {(p) => (
              <input
                {...p}
                ref={usernameRef}
                className="input"
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                autoFocus
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                data-testid="login-username"
              />
            )}
          </Field>
          <Field label={t.auth.password} error={errors.password} required>
            {(p) => (
              <input
                {...p}
                ref={passwordRef}
                className="input"
                type="password"
                name="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="login-password"
              />
            )}
          </Field>
          <div className="form-actions form-actions--start">
            <button type="submit" className="button button--primary button--wide" disabled={login.isPending} data-testid="login-submit">
              {login.isPending ? t.auth.signingIn : t.auth.signIn}
            </button>
          </div>
          {login.isError ? (
            <div id="login-error">
              <ErrorNotice error={login.error} title={locked ? t.auth.lockedTitle : t.auth.failedTitle} testId="login-error">
                {retryMinutes ? <p>{t.auth.retryAfter(retryMinutes)}</p> : null}
              </ErrorNotice>
            </div>
          ) : null}
        </form>
      </div>
      {health.data?.demo ? (
        <DemoNotice
          onPick={(u, pw) => {
            setUsername(u);
            setPassword(pw);
            setErrors({});
            usernameRef.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}
