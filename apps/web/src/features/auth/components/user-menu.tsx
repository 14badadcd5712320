import { Link } from 'react-router';
import { ROLE_LABELS } from '@vbp/contracts/roles';
import { NATION_CODE } from '@vbp/contracts/enums';
import { useSessionUser } from '../../../lib/auth/session-context';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { SignOutButton } from './sign-out-button';

/** Who is signed in (name, role, region), a link to change the password, and sign-out. */
export function UserMenu() {
  const { t, lang } = useI18n();
  const user = useSessionUser();
  const regions = useRegions();
  const region = regions.data?.items.find((r) => r.code === user.regionCode);
  const regionLabel = user.regionCode === NATION_CODE ? t.auth.nationalRegion : region ? regionName(region, lang, true) : user.regionCode;
  return (
    <div className="user-menu" data-testid="user-menu" data-role={user.role} data-region={user.regionCode}>
      <p className="user-menu__who">
        <span className="visually-hidden">{t.auth.account}: </span>
        <span className="user-menu__name" data-testid="session-user-name">
          {user.displayName}
        </span>
        <span className="user-menu__meta" data-testid="session-user-role">
          {ROLE_LABELS[user.role][lang]} · {regionLabel}
        </span>
      </p>
      <span className="user-menu__actions">
        <Link to="/change-password" className="user-menu__link">
          {t.auth.changePassword}
        </Link>
        <SignOutButton className="button button--small button--on-dark" />
      </span>
    </div>
  );
}
