import type { Role } from '@vbp/contracts/roles';

/** The accounts the embedded quick start creates in demo mode (apps/api: demo users), one per role. */
export const DEMO_PASSWORD = 'vbp-demo-2026';

export const DEMO_ACCOUNTS: readonly { username: string; role: Role; region: { zh: string; en: string } }[] = [
  { username: 'jiangsu-office', role: 'office', region: { zh: '江苏', en: 'Jiangsu' } },
  { username: 'jiangsu-clerk', role: 'clerk', region: { zh: '江苏', en: 'Jiangsu' } },
  { username: 'national-leader', role: 'leader', region: { zh: '全国', en: 'Nationwide' } },
];
