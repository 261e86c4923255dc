import { inject } from 'vitest'

declare module 'vitest' {
  interface ProvidedContext {
    judgeBaseURL: string
  }
}

// The judges build their client from OPENAI_API_KEY (set by the test) and OPENAI_BASE_URL.
process.env.OPENAI_BASE_URL = inject('judgeBaseURL')
