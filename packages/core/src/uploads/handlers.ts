import type { UploadKind } from '@vbp/contracts/uploads';
import { agreedVolumesHandler } from './kinds/agreed-volumes';
import { batchResultsHandler } from './kinds/batch-results';
import { implementationsHandler } from './kinds/implementations';
import { provinceVolumesHandler } from './kinds/province-volumes';
import { purchasesHandler } from './kinds/purchases';
import type { KindHandler } from './types';

export const HANDLERS: Record<UploadKind, KindHandler> = {
  'batch-results': batchResultsHandler,
  implementations: implementationsHandler,
  'province-volumes': provinceVolumesHandler,
  'agreed-volumes': agreedVolumesHandler,
  purchases: purchasesHandler,
};
