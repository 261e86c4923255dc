// Dumps every evalgate meta the main process received, to check it is complete and JSON-safe.
import { writeFileSync } from 'node:fs'
export default class MetaDump {
  onTestRunEnd(modules) {
    const out = []
    for (const m of modules) {
      for (const s of m.children.allSuites()) if (s.meta().evalgate) out.push(s.meta().evalgate)
      for (const t of m.children.allTests()) if (t.meta().evalgate) out.push(t.meta().evalgate)
    }
    writeFileSync(process.env.META_OUT ?? 'meta.json', JSON.stringify(out))
  }
}
