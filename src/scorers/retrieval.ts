import { describeValue, EvalgateError } from '../base/errors.js'
import { isPlainObject } from '../base/values.js'
import { type Feedback, type Scorer, scorer } from '../core/scorer.js'
import {
  type BaseScorerOptions,
  checkNumber,
  checkOptions,
  requireExpectation,
  requireTrace,
} from './shared.js'

/**
 * Options of {@link retrievedDocumentRecall}.
 *
 * @example
 * ```ts
 * const options: RetrievedDocumentRecallOptions = { threshold: 1 }
 * ```
 */
export interface RetrievedDocumentRecallOptions extends BaseScorerOptions {
  /** A row passes when recall is >= threshold. Without it the metric never fails a row. */
  threshold?: number
}

/**
 * The share of `expectations.relevant_document_ids` that the trace's `RETRIEVER` spans returned
 * (numeric in [0, 1], metric `retrieved_document_recall`). A retriever's outputs are an array of
 * documents (or `{ documents: [...] }`); a document is an id (string or number) or an object
 * whose id is `id`, `doc_id`, `metadata.doc_uri` or `metadata.id`, in that order (MLflow's
 * Document keeps its URI in `metadata.doc_uri`). Ids compare as strings. A trace without a
 * RETRIEVER span retrieved nothing: recall 0. The rationale names the missing documents.
 *
 * @example
 * ```ts
 * import { retrievedDocumentRecall } from 'evalgate/scorers'
 * retrievedDocumentRecall({ threshold: 1 })
 * // fail rationale: 1 of 2 relevant documents retrieved; missing: "refund-policy"
 * ```
 */
export function retrievedDocumentRecall(options?: RetrievedDocumentRecallOptions): Scorer {
  const o = checkOptions('retrievedDocumentRecall', options, ['name', 'threshold'])
  checkNumber('retrievedDocumentRecall', 'threshold', o.threshold)
  const name = (o.name as string | undefined) ?? 'retrieved_document_recall'
  const threshold = o.threshold as number | undefined
  return scorer(
    name,
    ({ expectations, trace }): Feedback => {
      const relevant = relevantIds(
        name,
        requireExpectation(name, expectations, 'relevant_document_ids'),
      )
      const spans = requireTrace(name, trace).searchSpans({ type: 'RETRIEVER' })
      const retrieved = new Set<string>()
      for (const span of spans) for (const id of documentIds(span.outputs)) retrieved.add(id)
      const missing = relevant.filter((id) => !retrieved.has(id))
      const recall = (relevant.length - missing.length) / relevant.length
      const head =
        spans.length === 0
          ? 'the trace has no RETRIEVER span, so nothing was retrieved'
          : `${relevant.length - missing.length} of ${relevant.length} relevant documents retrieved by ${spans.length} RETRIEVER span(s)`
      const tail =
        missing.length === 0 ? '' : `; missing: ${missing.map((m) => JSON.stringify(m)).join(', ')}`
      return { value: recall, rationale: `${head}${tail}` }
    },
    threshold === undefined ? {} : { threshold },
  )
}

function relevantIds(scorerName: string, value: unknown): string[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((v) => typeof v === 'string' || typeof v === 'number')
  ) {
    throw new EvalgateError(
      `scorer "${scorerName}": expected expectations.relevant_document_ids to be a non-empty array of ids (strings or numbers), received ${describeValue(value)}`,
    )
  }
  return [...new Set(value.map(String))]
}

function documentIds(outputs: unknown): string[] {
  const docs = Array.isArray(outputs)
    ? outputs
    : isPlainObject(outputs) && Array.isArray(outputs.documents)
      ? outputs.documents
      : []
  const ids: string[] = []
  for (const doc of docs) {
    const id = documentId(doc)
    if (id !== undefined) ids.push(id)
  }
  return ids
}

function documentId(doc: unknown): string | undefined {
  if (typeof doc === 'string' || typeof doc === 'number') return String(doc)
  if (!isPlainObject(doc)) return undefined
  const metadata = isPlainObject(doc.metadata) ? doc.metadata : {}
  for (const candidate of [doc.id, doc.doc_id, metadata.doc_uri, metadata.id]) {
    if (typeof candidate === 'string' || typeof candidate === 'number') return String(candidate)
  }
  return undefined
}
