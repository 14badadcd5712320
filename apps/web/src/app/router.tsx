import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Skeleton } from '../components/ui/skeleton';
import { OverviewPage } from '../features/overview/components/overview-page';
import { NotFoundPage } from './routes/not-found';
import { PlainLayout } from './routes/plain-layout';
import { RequireAuth, RequirePermission } from './routes/require-auth';
import { RootLayout } from './routes/root-layout';

// Admin pages are for a few users, and the sign-in and password forms are seen once a session: their code
// (and the zod schemas they validate with) loads when they are opened, not with the overview.
const LoginPage = lazy(() => import('../features/auth/components/login-page').then((m) => ({ default: m.LoginPage })));
const ChangePasswordPage = lazy(() =>
  import('../features/auth/components/change-password-page').then((m) => ({ default: m.ChangePasswordPage })),
);
const UsersPage = lazy(() => import('../features/users/components/users-page').then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import('../features/audit/components/audit-page').then((m) => ({ default: m.AuditPage })));
// The data clerk's pages (and the column specs and zod schemas they bring) load when opened.
const UploadPage = lazy(() => import('../features/uploads/components/upload-page').then((m) => ({ default: m.UploadPage })));
const UploadReportPage = lazy(() => import('../features/uploads/components/upload-report-page').then((m) => ({ default: m.UploadReportPage })));
const UploadsHistoryPage = lazy(() => import('../features/uploads/components/uploads-history-page').then((m) => ({ default: m.UploadsHistoryPage })));
const ExecutionPage = lazy(() => import('../features/execution/components/execution-page').then((m) => ({ default: m.ExecutionPage })));
const TargetsPage = lazy(() => import('../features/targets/components/targets-page').then((m) => ({ default: m.TargetsPage })));
const ReconciliationPage = lazy(() => import('../features/reconciliation/components/reconciliation-page').then((m) => ({ default: m.ReconciliationPage })));
const BatchesPage = lazy(() => import('../features/batches/components/batches-page').then((m) => ({ default: m.BatchesPage })));
const BatchPage = lazy(() => import('../features/batches/components/batch-page').then((m) => ({ default: m.BatchPage })));
const ContractsPage = lazy(() => import('../features/contracts/components/contracts-page').then((m) => ({ default: m.ContractsPage })));
const SettingsPage = lazy(() => import('../features/settings/components/settings-page').then((m) => ({ default: m.SettingsPage })));
const FollowUpsPage = lazy(() => import('../features/follow-ups/components/follow-ups-page').then((m) => ({ default: m.FollowUpsPage })));

function LazyPage({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div className="page" aria-busy="true">
          <div className="page__head">
            <Skeleton lines={1} />
          </div>
          <Skeleton lines={8} />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

/**
 * Routes, declared as components: the pages load their data through TanStack Query, so the data
 * router's loaders (and their extra kilobytes) are not needed. Everything but /login needs a session.
 */
export function AppRoutes() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<PlainLayout />}>
          <Route path="/login" element={<LazyPage><LoginPage /></LazyPage>} />
        </Route>
        {/* The guard outside the layout: while it asks for the session it draws its own frame. */}
        <Route element={<RequireAuth allowPasswordChange />}>
          <Route element={<PlainLayout />}>
            <Route path="/change-password" element={<LazyPage><ChangePasswordPage /></LazyPage>} />
          </Route>
        </Route>
        <Route element={<RequireAuth />}>
          <Route path="/" element={<RootLayout />}>
            <Route index element={<OverviewPage />} />
            <Route path="execution" element={<LazyPage><ExecutionPage /></LazyPage>} />
            <Route path="targets" element={<LazyPage><TargetsPage /></LazyPage>} />
            <Route path="reconciliation" element={<LazyPage><ReconciliationPage /></LazyPage>} />
            <Route path="batches" element={<LazyPage><BatchesPage /></LazyPage>} />
            <Route path="batches/:code" element={<LazyPage><BatchPage /></LazyPage>} />
            <Route path="contracts" element={<LazyPage><ContractsPage /></LazyPage>} />
            <Route path="follow-ups" element={<LazyPage><FollowUpsPage /></LazyPage>} />
            <Route path="settings" element={<LazyPage><SettingsPage /></LazyPage>} />
            <Route
              path="admin/users"
              element={
                <RequirePermission action="manage:user">
                  <LazyPage>
                    <UsersPage />
                  </LazyPage>
                </RequirePermission>
              }
            />
            <Route
              path="admin/audit"
              element={
                <RequirePermission action="read:audit">
                  <LazyPage>
                    <AuditPage />
                  </LazyPage>
                </RequirePermission>
              }
            />
            <Route
              path="uploads/new"
              element={
                <RequirePermission action="create:upload">
                  <LazyPage>
                    <UploadPage />
                  </LazyPage>
                </RequirePermission>
              }
            />
            <Route
              path="uploads/:id"
              element={
                <RequirePermission action="read:upload">
                  <LazyPage>
                    <UploadReportPage />
                  </LazyPage>
                </RequirePermission>
              }
            />
            <Route
              path="uploads"
              element={
                <RequirePermission action="read:upload">
                  <LazyPage>
                    <UploadsHistoryPage />
                  </LazyPage>
                </RequirePermission>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
