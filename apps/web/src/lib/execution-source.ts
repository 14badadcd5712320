// the end of the data: shared with the API, which prepares the answers at it after a commit
export { suggestedDate } from '@vbp/contracts/execution';
