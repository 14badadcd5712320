import { useNavigate } from 'react-router';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { useLogout } from '../api/logout';

/**
 * Ends the session and goes to /login. The cache is emptied, so the back button finds nothing to show:
 * the page it returns to asks for a session again and is sent back to /login.
 */
export function SignOutButton({ className }: { className?: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const logout = useLogout();
  return (
    <button
      type="button"
      className={className ?? 'button button--small'}
      disabled={logout.isPending}
      onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login') })}
      data-testid="sign-out"
    >
      {logout.isPending ? t.auth.signingOut : t.auth.signOut}
    </button>
  );
}
