import { readCsvSync } from './csv-sync.js'
import { type DataSource, type LoadOptions, loadDatasetSyncWith, type Row } from './dataset.js'

/**
 * Loads a dataset synchronously, for hosts whose suites must be defined synchronously (Jest's
 * `describe` callbacks cannot await): a `.jsonl`, `.json` or `.csv` path (read with
 * `readFileSync`), an array, a sync iterable, or a function returning one of those. The rows,
 * their validation and every error message are exactly those of `loadDataset`. A source that can
 * only be read asynchronously (a promise, an async iterable, an async function) is an
 * `EvalgateError` that says how to load it first.
 *
 * @example
 * ```ts
 * const rows = loadDatasetSync('fixtures/qa.jsonl', { root: process.cwd() })
 * // an async source is loaded first, at the top level of an ESM test file:
 * const cases = await loadDataset(fetchCases)
 * ```
 */
export function loadDatasetSync<R extends Row = Row>(
  source: DataSource<R>,
  options: LoadOptions = {},
): R[] {
  return loadDatasetSyncWith(source, options, readCsvSync)
}
