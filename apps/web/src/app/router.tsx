import { BrowserRouter, Route, Routes } from 'react-router';
import { OverviewPage } from '../features/overview/components/overview-page';
import { NotFoundPage } from './routes/not-found';
import { RootLayout } from './routes/root-layout';

/**
 * Routes, declared as components: the pages load their data through TanStack Query, so the data
 * router's loaders (and their extra kilobytes) are not needed. Pages other issues add
 * (目标, 批次, 执行, 合同, 核对) join the children here.
 */
export function AppRoutes() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/" element={<RootLayout />}>
          <Route index element={<OverviewPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
